// @vitest-environment happy-dom
import { signal } from '@preact/signals'
import { cleanup, render, screen } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import type { PublicResource } from '../../shared/types'
import { CATALOGUES } from '../locales'
import type { BookingState } from '../state'
import { PriceSummary } from './PriceSummary'

/* What the guest reads about cancelling and moving before committing to a time. */

const room: PublicResource = { id: 'r-1', slug: 'room', type: 'room', name: 'Room', timezone: 'Europe/Berlin' }

function renderSummary(resource: PublicResource, language: 'en' | 'de' | 'es' = 'en') {
  const state = {
    resource: signal(resource),
    payment: signal(undefined),
    seats: signal(1),
    t: CATALOGUES[language]!,
    locale: language,
  } as unknown as BookingState
  render(<PriceSummary state={state} />)
  return [...document.querySelectorAll('.policy li')].map((li) => li.textContent)
}

afterEach(cleanup)

describe('the minimum notices beside the policy', () => {
  it('states when online moves and cancels close, for a free resource that sets only the notices', () => {
    expect(renderSummary({ ...room, minRescheduleNoticeHours: 12, minCancelNoticeHours: 24 })).toEqual([
      'Free cancellation until the start.',
      'Online cancellation closes 24 h before the start.',
      'Changing the time online closes 12 h before the start.',
    ])
  })

  it('speaks the guest’s language', () => {
    expect(renderSummary({ ...room, minRescheduleNoticeHours: 12 }, 'de')).toContain(
      'Online-Terminänderungen enden 12 Std. vor Beginn.',
    )
    expect(renderSummary({ ...room, minRescheduleNoticeHours: 12 }, 'es')).toContain(
      'El cambio de hora en línea se cierra 12 h antes del inicio.',
    )
  })

  it('says nothing for a free resource without a policy or notices', () => {
    expect(renderSummary(room)).toEqual([])
    expect(screen.queryByRole('list')).toBeNull()
  })
})
