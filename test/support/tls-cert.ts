/** A throwaway self-signed certificate for 127.0.0.1, made with the system `openssl` when present. */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** PEM key and certificate, or undefined (with the reason) when openssl is missing. */
export function makeSelfSignedCert(): { key: string; cert: string } | { skip: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-tls-'))
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    )
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    }
  } catch (e) {
    return { skip: `openssl unavailable: ${e instanceof Error ? e.message : String(e)}` }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
