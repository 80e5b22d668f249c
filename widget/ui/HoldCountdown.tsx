import { useEffect, useRef, useState } from 'preact/hooks'
import type { Messages } from '../i18n'

export interface HoldCountdownProps {
  t: Messages
  /** When the hold lapses (ISO instant). */
  expiresAt: string
  onZero: () => void
}

/**
 * The time left on the hold. Its once-a-second tick re-renders this component alone, never
 * the form around it: a form re-rendered every second is a form that fights its typist.
 */
export function HoldCountdown({ t, expiresAt, onZero }: HoldCountdownProps) {
  const left = () => Math.max(0, Math.round((Date.parse(expiresAt) - Date.now()) / 1000))
  const [seconds, setSeconds] = useState(left)
  const zero = useRef(onZero)
  zero.current = onZero
  useEffect(() => {
    setSeconds(left())
    const timer = setInterval(() => {
      const next = left()
      setSeconds(next)
      if (next === 0) {
        clearInterval(timer)
        zero.current()
      }
    }, 1000)
    return () => clearInterval(timer)
  }, [expiresAt])
  return (
    <>
      <p class="muted" role="timer" aria-live="off">
        {t.heldFor(`${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`)}
      </p>
      {/* Announced once, when a minute is left; the ticking timer itself stays quiet. */}
      <p class="sr" aria-live="assertive">
        {seconds > 0 && seconds <= 60 ? t.minuteLeft : ''}
      </p>
    </>
  )
}
