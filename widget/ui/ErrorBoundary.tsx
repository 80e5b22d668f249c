import { Component, type ComponentChildren } from 'preact'
import type { ClientError } from '../client'

interface ErrorBoundaryProps {
  /** What the guest reads when the widget breaks, in their language. */
  message: string
  onError: (error: ClientError) => void
  children?: ComponentChildren
}

/**
 * A bug in the widget must not escape into the host page: it is shown and reported instead.
 * No state initializer: Preact starts each component with `{}`, and a class field costs a
 * helper in es2020 output.
 */
export class ErrorBoundary extends Component<ErrorBoundaryProps, { failed?: boolean }> {
  override componentDidCatch(error: unknown): void {
    this.setState({ failed: true })
    this.props.onError({
      code: 'internal',
      message: this.props.message,
      details: error instanceof Error ? error.message : String(error),
    })
  }

  override render() {
    if (!this.state.failed) return this.props.children
    return (
      <p class="card error" role="alert">
        {this.props.message}
      </p>
    )
  }
}
