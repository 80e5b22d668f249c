/// <reference path="./disposable.d.ts" />
export * from '../dist/types/widget/sdk.js'
