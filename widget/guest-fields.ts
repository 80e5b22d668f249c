/** The guest form's fields, in the order they are shown (the first bad one takes the focus). */
export const GUEST_FIELDS = ['name', 'email', 'phone', 'notes'] as const
export type GuestField = (typeof GUEST_FIELDS)[number]

/** Messages under the form's fields, already in the guest's language. */
export type FieldErrors = Partial<Record<GuestField, string>>
