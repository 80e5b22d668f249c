import { Component, type ComponentChildren } from 'preact'
import type { ClientError } from '../client'

interface ErrorBoundaryProps {
  onError: (error: ClientError) => void
  children?: ComponentChildren
}

const MESSAGE = 'The booking widget stopped working. Reload the page to try again.'

/**
 * A bug in the widget must not escape into the host page: it is shown and reported instead.
 * No state initializer: Preact starts each component with `{}`, and a class field costs a
 * helper in es2020 output.
 */
export class ErrorBoundary extends Component<ErrorBoundaryProps, { failed?: boolean }> {
  override componentDidCatch(error: unknown): void {
    this.setState({ failed: true })
    this.props.onError({ code: 'internal', message: MESSAGE, details: error instanceof Error ? error.message : String(error) })
  }

  override render() {
    if (!this.state.failed) return this.props.children
    return (
      <p class="card error" role="alert">
        {MESSAGE}
      </p>
    )
  }
}
