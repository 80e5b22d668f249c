/// <reference path="./disposable.d.ts" />
export * from '../dist/types/widget/react.js'
