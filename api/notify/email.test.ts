import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../logger'
import { createFileSender } from './email'

/*
 * Mail written without SMTP carries guests' names, addresses and manage links: only the
 * server's own user may read it.
 */
const scratch: string[] = []
afterEach(async () => {
  for (const dir of scratch.splice(0)) await rm(dir, { recursive: true, force: true })
})

const mode = async (path: string) => (await stat(path)).mode & 0o777
const message = (id: string) => ({
  to: 'grace@example.com',
  subject: 'Booked: Room',
  text: 'Hello',
  html: '<p>Hello</p>',
  messageId: `<${id}@localhost>`,
})

describe.skipIf(process.platform === 'win32')('.eml files without SMTP', () => {
  it('creates the folder 0700 and each file 0600', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'mail-'))
    scratch.push(parent)
    const dir = join(parent, 'nested', 'mail')
    const sender = createFileSender({ dir, from: 'bookings@localhost', logger: silentLogger })
    await sender.send(message('n1.1'))
    await sender.send(message('n2.1'))
    expect(await mode(dir)).toBe(0o700)
    const files = await readdir(dir)
    expect(files).toHaveLength(2)
    for (const file of files) expect(await mode(join(dir, file)), file).toBe(0o600)
  })

  it('tightens a folder of ours that is open to others, and a file written again (a resend) that was', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mail-'))
    scratch.push(dir)
    await chmod(dir, 0o755)
    await mkdir(dir, { recursive: true })
    const old = join(dir, '_n3.1_localhost_.eml')
    await writeFile(old, 'older', { mode: 0o644 })
    await chmod(old, 0o644)
    const sender = createFileSender({ dir, from: 'bookings@localhost', logger: silentLogger })
    await sender.send(message('n3.1'))
    expect(await mode(dir)).toBe(0o700)
    expect(await readdir(dir)).toEqual(['_n3.1_localhost_.eml'])
    expect(await mode(old)).toBe(0o600)
  })
})
