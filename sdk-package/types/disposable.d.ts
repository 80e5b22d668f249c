// The widget's state is disposable (`[Symbol.dispose]`). Apps whose TypeScript `lib` predates
// `esnext.disposable` and that have no @types/node still need the symbol's type; declaring it
// again is harmless where it exists, as @types/node does.
interface SymbolConstructor {
  readonly dispose: unique symbol
}
