/** Set by `define` in vite.config.ts from package.json; only the embed build reads it. */
declare const __WIDGET_VERSION__: string
/** True in the embed script's build (one classic file that cannot code-split), false elsewhere. */
declare const __EMBED__: boolean
