import { beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../../../../main/core/inspect/inspect'
import type { ShellParser } from '../../../../main/core/inspect/shell-parser'
import { dnsServerKind, ipv4s, kernelParamOff } from '../../../../main/core/inspect/rules/system'
import type { Finding, RuleId, Severity } from '../../../../main/core/inspect/types'
import { loadShellParser } from '../../../../main/node/shell-parser'

let parser: ShellParser
beforeAll(async () => {
  parser = await loadShellParser()
})

/** The one finding of `rule` in the report of `text` (fails when there is none). */
async function finding(text: string, rule: RuleId): Promise<Finding> {
  const r = await inspectText(text, { parser })
  const f = r.findings.find((x) => x.rule === rule)
  expect(f, `${rule} in ${JSON.stringify(r.findings)}`).toBeDefined()
  return f as Finding
}

/** The text the finding highlights. */
function highlighted(text: string, f: Finding): string {
  return text.slice(f.offset, f.endOffset)
}

type Case = readonly [text: string, rule: RuleId, severity: Severity, span: string]

describe('takeover rules (review findings on the instruction checker)', () => {
  describe('when a fake fix downgrades packages', () => {
    it.each<Case>([
      [
        'sudo apt install --allow-downgrades openssl=3.0.2-0ubuntu1',
        'allow-downgrade',
        'high',
        '--allow-downgrades',
      ],
      [
        'sudo apt-get -o APT::Get::allow-downgrades=true install libssl3',
        'allow-downgrade',
        'high',
        'APT::Get::allow-downgrades=true',
      ],
      [
        'sudo apt-get -oAPT::Get::allow-downgrades=1 install libssl3',
        'allow-downgrade',
        'high',
        '-oAPT::Get::allow-downgrades=1',
      ],
      [
        'echo \'APT::Get::allow-downgrades "true";\' | sudo tee /etc/apt/apt.conf.d/99fix',
        'allow-downgrade',
        'high',
        '/etc/apt/apt.conf.d/99fix',
      ],
      [
        'printf "Package: *\\nPin: origin x.example\\nPin-Priority: 1001\\n" | sudo tee /etc/apt/preferences.d/fix',
        'allow-downgrade',
        'high',
        '/etc/apt/preferences.d/fix',
      ],
      [
        'sudo dpkg --force-downgrade -i /var/cache/apt/archives/a.deb',
        'allow-downgrade',
        'high',
        '--force-downgrade',
      ],
      [
        'Add this line to apt.conf:\n\n    APT::Get::allow-downgrades "true";',
        'allow-downgrade',
        'high',
        'APT::Get::allow-downgrades "true',
      ],
    ])('flags %s as %s (%s)', async (text, rule, severity, span) => {
      const f = await finding(text, rule)
      expect(f.severity).toBe(severity)
      expect(highlighted(text, f)).toBe(span)
    })
  })

  describe('when a fake fix adds a uid-0 account', () => {
    it.each<Case>([
      ['sudo useradd -o -u 0 -g 0 -M -s /bin/bash sysupdate', 'root-account', 'high', '-u 0'],
      ['sudo useradd --uid=0 --non-unique sysupd', 'root-account', 'high', '--uid=0'],
      ['sudo useradd -u0 -o sysupd', 'root-account', 'high', '-u0'],
      ['sudo adduser --uid 0 --gid 0 helper', 'root-account', 'high', '--uid 0'],
      ['sudo usermod -o -u 0 backup', 'root-account', 'high', '-u 0'],
      [
        "echo 'sysupd:x:0:0::/root:/bin/bash' | sudo tee -a /etc/passwd",
        'root-account',
        'high',
        '/etc/passwd',
      ],
      ["sudo sed -i 's/^backup:x:34:34:/backup:x:0:0:/' /etc/passwd", 'root-account', 'high', '/etc/passwd'],
      ["echo 'sysupd::19800:0:99999:7:::' | sudo tee -a /etc/shadow", 'root-account', 'high', '/etc/shadow'],
      ["echo 'sysupd:x:0:0::/root:/bin/sh' | sudo newusers", 'root-account', 'high', 'newusers'],
    ])('flags %s as %s (%s)', async (text, rule, severity, span) => {
      const f = await finding(text, rule)
      expect(f.severity).toBe(severity)
      expect(highlighted(text, f)).toContain(span)
    })
  })

  describe('when a fake fix changes name resolution', () => {
    it.each<Case>([
      ['echo nameserver 1.2.3.4 | sudo tee /etc/resolv.conf', 'dns-hijack', 'high', '/etc/resolv.conf'],
      ['echo "nameserver 45.83.12.7" > /etc/resolv.conf', 'dns-hijack', 'high', '/etc/resolv.conf'],
      [
        'printf "[Resolve]\\nDNS=45.83.12.7\\n" | sudo tee /etc/systemd/resolved.conf',
        'dns-hijack',
        'high',
        '/etc/systemd/resolved.conf',
      ],
      ['curl -s https://x.example/r | sudo tee /etc/resolv.conf', 'dns-hijack', 'high', '/etc/resolv.conf'],
      ['sudo resolvectl dns eth0 45.83.12.7', 'dns-hijack', 'high', '45.83.12.7'],
      ['sudo nmcli con mod "Wired connection 1" ipv4.dns 45.83.12.7', 'dns-hijack', 'high', '45.83.12.7'],
      ['echo "185.199.108.9 github.com" | sudo tee -a /etc/hosts', 'dns-hijack', 'high', '/etc/hosts'],
      [
        'Put this in /etc/resolv.conf:\n```\nnameserver 45.83.12.7\n```',
        'dns-hijack',
        'high',
        'nameserver 45.83.12.7',
      ],
      ['echo nameserver 8.8.8.8 | sudo tee /etc/resolv.conf', 'dns-hijack', 'medium', '/etc/resolv.conf'],
      ['sudo resolvectl dns eth0 1.1.1.1', 'dns-hijack', 'medium', '1.1.1.1'],
      ['sudo cp resolv.conf.bak /etc/resolv.conf', 'dns-hijack', 'medium', '/etc/resolv.conf'],
    ])('flags %s as %s (%s)', async (text, rule, severity, span) => {
      const f = await finding(text, rule)
      expect(f.severity).toBe(severity)
      expect(highlighted(text, f)).toBe(span)
    })

    it('keeps Ubuntu names in /etc/hosts as new-apt-source (a redirected archive)', async () => {
      const r = await inspectText('echo "203.0.113.9 archive.ubuntu.com" | sudo tee -a /etc/hosts', {
        parser,
      })
      expect(r.findings.map((f) => [f.rule, f.severity])).toEqual([['new-apt-source', 'high']])
    })
  })

  describe('when a fake fix turns AppArmor off through the kernel or modprobe', () => {
    it.each<Case>([
      [
        'sudo sed -i \'s/GRUB_CMDLINE_LINUX=""/GRUB_CMDLINE_LINUX="apparmor=0 security=none"/\' /etc/default/grub',
        'disable-protection',
        'high',
        '/etc/default/grub',
      ],
      [
        'echo \'GRUB_CMDLINE_LINUX="security=none"\' | sudo tee /etc/default/grub.d/99-fix.cfg',
        'disable-protection',
        'high',
        '/etc/default/grub.d/99-fix.cfg',
      ],
      [
        "echo 'blacklist apparmor' | sudo tee /etc/modprobe.d/bl.conf",
        'disable-protection',
        'high',
        '/etc/modprobe.d/bl.conf',
      ],
      [
        'sudo sh -c "echo \'install apparmor /bin/true\' > /etc/modprobe.d/aa.conf"',
        'disable-protection',
        'high',
        '/etc/modprobe.d/aa.conf',
      ],
      ['sudo kernelstub -a "apparmor=0"', 'disable-protection', 'high', '"apparmor=0"'],
      [
        'sudo grubby --update-kernel=ALL --args="selinux=0"',
        'disable-protection',
        'high',
        '--args="selinux=0"',
      ],
      [
        'Edit /etc/default/grub:\n\n    GRUB_CMDLINE_LINUX_DEFAULT="quiet splash apparmor=0"',
        'disable-protection',
        'high',
        'apparmor=0',
      ],
      [
        'Add to /etc/modprobe.d/fix.conf:\n```\nblacklist apparmor\n```',
        'disable-protection',
        'high',
        'blacklist apparmor',
      ],
    ])('flags %s as %s (%s)', async (text, rule, severity, span) => {
      const f = await finding(text, rule)
      expect(f.severity).toBe(severity)
      expect(highlighted(text, f)).toBe(span)
    })
  })

  describe('when a fake fix starts a container with the host powers', () => {
    it.each<Case>([
      ['sudo docker run --rm --privileged ubuntu bash', 'container-escape', 'high', '--privileged'],
      ['docker run -v /:/host ubuntu chroot /host', 'container-escape', 'high', '-v /:/host'],
      ['docker run -v/:/r alpine', 'container-escape', 'high', '-v/:/r'],
      ['docker run --volume=/etc:/x:rw alpine', 'container-escape', 'high', '--volume=/etc:/x:rw'],
      ['docker run -v //./:/h alpine', 'container-escape', 'high', '-v //./:/h'],
      [
        'podman run --mount type=bind,source=/,target=/host fedora',
        'container-escape',
        'high',
        '--mount type=bind,source=/,target=/host',
      ],
      ['docker container run --pid=host ubuntu nsenter -t 1 -m sh', 'container-escape', 'high', '--pid=host'],
      ['docker run --pid host ubuntu', 'container-escape', 'high', '--pid host'],
      ['docker run --cap-add=SYS_ADMIN ubuntu', 'container-escape', 'high', '--cap-add=SYS_ADMIN'],
      [
        'docker run --security-opt apparmor=unconfined ubuntu',
        'container-escape',
        'high',
        '--security-opt apparmor=unconfined',
      ],
      ['docker run --device=/dev/sda ubuntu', 'container-escape', 'high', '--device=/dev/sda'],
      ['docker exec --privileged -it web sh', 'container-escape', 'high', '--privileged'],
      [
        'docker run -v /var/run/docker.sock:/var/run/docker.sock portainer/portainer-ce',
        'container-escape',
        'medium',
        '-v /var/run/docker.sock:/var/run/docker.sock',
      ],
    ])('flags %s as %s (%s)', async (text, rule, severity, span) => {
      const f = await finding(text, rule)
      expect(f.severity).toBe(severity)
      expect(highlighted(text, f)).toBe(span)
    })
  })

  describe('when the text is a benign look-alike', () => {
    it.each([
      'docker run -v $PWD:/src -w /src node:20 npm test',
      'docker run --rm -v "$PWD":/src -v ./cache:/cache -v /home/me/data:/data node:20 ls',
      'docker run --privileged=false alpine',
      'docker ps --filter volume=/',
      'sudo apt install --only-upgrade openssl libssl3t64',
      'apt list --upgradable',
      'cat /etc/hosts',
      'grep ubuntu /etc/hosts',
      'echo "127.0.1.1 $(hostname)" | sudo tee -a /etc/hosts',
      'echo "192.168.1.20 nas.lan" | sudo tee -a /etc/hosts',
      'echo "0.0.0.0 ads.example.com" | sudo tee -a /etc/hosts',
      'systemctl status apparmor',
      'sudo aa-status',
      'cat /proc/cmdline',
      'grep GRUB_CMDLINE_LINUX /etc/default/grub',
      'The default is GRUB_CMDLINE_LINUX_DEFAULT="quiet splash".',
      'sudo useradd -m -s /bin/bash -u 1500 deploy',
      'sudo usermod -u 1001 alice',
      'resolvectl status',
      'cat /etc/resolv.conf',
      'Kernel lines such as apparmor=0 are discussed in the docs.',
    ])('reports nothing above low for %s (but default-deny for root)', async (text) => {
      const r = await inspectText(text, { parser })
      expect(r.findings.filter((f) => f.severity !== 'low' && f.rule !== 'unknown-root-command')).toEqual([])
      expect(r.verdict).not.toBe('dangerous')
    })
  })

  describe('when a dangerous command sits in `sh -c` on a later line of a block', () => {
    it('highlights it on its own line, not on the first line of the block', async () => {
      const text = 'Pin the clean IPs:\nsudo sh -c \'echo "185.199.108.9 github.com" >> /etc/hosts\''
      const f = await finding(text, 'dns-hijack')
      expect(f.line).toBe(2)
      expect(highlighted(text, f)).toBe('/etc/hosts')
    })
  })
})

describe('dnsServerKind', () => {
  describe('when given addresses of different owners', () => {
    it.each([
      ['45.83.12.7', 'public'],
      ['8.8.8.8', 'well-known'],
      ['1.1.1.1', 'well-known'],
      ['127.0.0.53', 'local'],
      ['192.168.1.1', 'local'],
      ['172.16.0.1', 'local'],
      ['172.32.0.1', 'public'],
      ['100.64.0.1', 'local'],
      ['0.0.0.0', 'blackhole'],
    ])('classifies %s as %s', (ip, kind) => {
      expect(dnsServerKind(ip)).toBe(kind)
    })
  })
})

describe('ipv4s', () => {
  describe('when text mixes addresses, versions and longer dotted runs', () => {
    it('returns only whole dotted quads with octets up to 255', () => {
      expect(ipv4s('nameserver 45.83.12.7\nDNS=1.1.1.1 9.9.9.9 1.2.3.4.5 300.1.1.1 v6.8.0.31')).toEqual([
        '45.83.12.7',
        '1.1.1.1',
        '9.9.9.9',
      ])
    })
  })
})

describe('kernelParamOff', () => {
  describe('when a kernel command line is given', () => {
    it.each([
      ['quiet splash apparmor=0', 'apparmor=0'],
      ['security=none', 'security=none'],
      ['apparmor.enabled=0 ro', 'apparmor.enabled=0'],
      ['quiet mitigations=off', 'mitigations=off'],
      ['quiet splash', undefined],
      ['xapparmor=0', undefined],
      ['apparmor=01', undefined],
      ['security=apparmor', undefined],
    ])('in %s finds %s', (line, param) => {
      expect(kernelParamOff(line)).toBe(param)
    })
  })
})
