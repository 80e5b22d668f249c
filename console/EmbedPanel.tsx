import { useEffect, useRef, useState } from 'preact/hooks'
import { copyOrSelect } from './form-parts'
import type { AdminResource } from '../shared/types'
import { embedSnippet } from './resource-form'

/**
 * What the owner pastes into their site, a Copy button, and the widget itself as guests
 * will see it: a same-origin page (/admin/preview) in a frame, since the console's own
 * page runs no script but its own.
 */
export function EmbedPanel({
  resource,
  origin,
  justCreated,
  previewVersion,
}: {
  resource: AdminResource
  origin: string
  justCreated: boolean
  previewVersion: number
}) {
  const snippet = embedSnippet(resource.slug, origin)
  const [copied, setCopied] = useState<string | undefined>(undefined)
  const text = useRef<HTMLTextAreaElement>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    if (justCreated) heading.current?.focus()
  }, [justCreated])

  const copy = async () =>
    setCopied(
      await copyOrSelect(
        snippet,
        text.current,
        'The snippet',
        'Copied. Paste it into your page where the booking form should appear.',
      ),
    )

  return (
    <section aria-labelledby="embed-title" class="embed">
      <h2 id="embed-title" ref={heading} tabIndex={-1}>
        Put {resource.name} on your website
      </h2>
      {justCreated && (
        <p class="ok" role="status">
          Created. Paste this snippet into any page of your site, then set the opening hours below.
        </p>
      )}
      <label for="embed-snippet">Embed snippet</label>
      <textarea
        id="embed-snippet"
        class="snippet"
        ref={text}
        readOnly
        rows={4}
        value={snippet}
        aria-describedby="embed-help"
      />
      <p class="help" id="embed-help">
        Paste it where the booking form should appear; it works on any page and keeps working after updates.
      </p>
      <div class="row">
        <button type="button" class="primary" onClick={() => void copy()}>
          Copy snippet
        </button>
        {copied && (
          <span class="ok" role="status">
            {copied}
          </span>
        )}
      </div>
      <h3>Preview</h3>
      <p class="help">
        The widget as guests see it{resource.isActive ? '' : ' (inactive: guests cannot book it yet)'}. It shows the
        saved schedule; a booking made here is a real booking.
      </p>
      <iframe
        key={previewVersion}
        class="preview"
        title={`Preview of the booking widget for ${resource.name}`}
        src={`/admin/preview?resource=${encodeURIComponent(resource.slug)}`}
        loading="lazy"
      />
    </section>
  )
}
