import { en } from '../i18n'

export default en
