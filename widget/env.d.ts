/** Set by `define` in vite.config.ts from package.json; only the embed build reads it. */
declare const __WIDGET_VERSION__: string
