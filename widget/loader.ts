/*
 * The classic script site owners paste (dist/widget/widget.js) and the manage page loads
 * (dist/widget/manage.js): each is this file with its entry written in at build time.
 */
import { boot } from './boot'

void boot(document.currentScript as HTMLScriptElement | null, __BOOT__)
