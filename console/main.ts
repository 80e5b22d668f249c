/*
 * The owner console (dist/admin/admin.js), served at /admin under a strict CSP with
 * frame-ancestors 'none'. Plain page script: no shadow root, it owns its page.
 */
import { h, render } from 'preact'
import { App } from './App'
import { applyConsoleStyles } from './styles'

applyConsoleStyles()
const root = document.getElementById('admin')
if (root) render(h(App, {}), root)
