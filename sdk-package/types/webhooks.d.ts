export * from '../dist/types/widget/verify-webhook.js'
