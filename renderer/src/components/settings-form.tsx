import { useEffect, useRef } from 'react'
import type { HelpdeskDto, OriginDto, SettingKey, SettingsDto } from '../../../preload/contract/dto'
import { relativeTime } from '../state/selectors'
import { RelativeTime } from './relative-time'

const LAYER_WORDS: Readonly<Record<OriginDto['layer'], string>> = {
  default: "Lifeline's built-in default",
  build: "your organisation's build",
  system: "this computer's policy",
  user: 'your choice',
  'config-file': 'the configuration file given with --config',
}

/** "Set by this computer's policy (/etc/lifeline/policy.json)." — the layer and, when there is one, its file. */
export function originWords(o: OriginDto): string {
  return `Set by ${LAYER_WORDS[o.layer]}${o.file ? ` (${o.file})` : ''}.`
}

/** Who to ask about a locked value: the helpdesk's name and contact. */
export function HelpdeskContact(props: { readonly helpdesk: HelpdeskDto | null }) {
  const h = props.helpdesk
  if (!h) return <span>Ask your administrator.</span>
  return (
    <span className="helpdesk" data-testid="helpdesk">
      Ask {h.name ?? 'your helpdesk'}
      {h.phone && <> · {h.phone}</>}
      {h.email && <> · {h.email}</>}
      {h.url && <> · {h.url}</>}
    </span>
  )
}

/** The note under a field: where the value comes from, or that a policy locks it and who to ask. */
export function OriginNote(props: {
  readonly origin: OriginDto
  readonly helpdesk: HelpdeskDto | null
  readonly id: string
}) {
  if (!props.origin.locked) {
    return (
      <span id={props.id} className="muted small" data-layer={props.origin.layer}>
        {originWords(props.origin)}
      </span>
    )
  }
  return (
    <span id={props.id} className="locked small" data-testid="locked-note">
      <span aria-hidden="true">🔒 </span>Locked by {LAYER_WORDS[props.origin.layer]}
      {props.origin.file ? ` (${props.origin.file})` : ''}. <HelpdeskContact helpdesk={props.helpdesk} />
    </span>
  )
}

const POLL_CHOICES = [15, 30, 60, 120, 240, 720, 1440]

/** What the Settings form is given, and what its controls ask for. */
export interface SettingsFormProps {
  readonly settings: SettingsDto
  readonly saving: SettingKey | null
  readonly now: number
  readonly onChange: (key: SettingKey, value: number | string | boolean) => void
  readonly onPause: (choice: '1h' | 'tomorrow' | 'off') => void
  /** Turns an advisory source on or off. */
  readonly onChannel: (id: string, enabled: boolean) => void
}

/** The Settings form: each control disabled (not hidden) when locked, with the reason next to it. */
export function SettingsForm(props: SettingsFormProps) {
  return (
    <div className="settings">
      <CheckingFields {...props} />
      <NotificationFields {...props} />
      <AutostartField settings={props.settings} onChange={props.onChange} />
      <MirrorList settings={props.settings} />
      <ChannelSwitches settings={props.settings} onChannel={props.onChannel} />
    </div>
  )
}

/** How often to check in the background, where that comes from, and when the next check is. */
function CheckingFields(props: SettingsFormProps) {
  const s = props.settings
  const poll = s.pollIntervalMinutes
  const choices = POLL_CHOICES.includes(poll.value)
    ? POLL_CHOICES
    : [...POLL_CHOICES, poll.value].sort((a, b) => a - b)
  return (
    <fieldset>
      <legend>Checking</legend>
      <label htmlFor="set-poll">How often to check in the background</label>
      <select
        id="set-poll"
        value={poll.value}
        disabled={poll.origin.locked || props.saving === 'pollIntervalMinutes'}
        aria-describedby="set-poll-origin set-poll-help"
        onChange={(e) => props.onChange('pollIntervalMinutes', Number(e.target.value))}
      >
        {choices.map((m) => (
          <option key={m} value={m}>
            {m < 60 ? `Every ${m} minutes` : m === 60 ? 'Every hour' : `Every ${m / 60} hours`}
          </option>
        ))}
      </select>
      <span id="set-poll-help" className="muted small">
        Lifeline checks every 15 minutes anyway while this computer is exposed without a verified fix.
      </span>
      <OriginNote id="set-poll-origin" origin={poll.origin} helpdesk={s.helpdesk} />
      {s.nextCheck && (
        <span className="muted small">
          Next check <RelativeTime iso={s.nextCheck.at} now={props.now} />.
        </span>
      )}
    </fieldset>
  )
}

/** When to notify, and pausing notifications. */
function NotificationFields(props: SettingsFormProps) {
  const s = props.settings
  return (
    <fieldset>
      <legend>Notifications</legend>
      <label htmlFor="set-notify">When to notify</label>
      <select
        id="set-notify"
        value={s.notificationLevel.value}
        disabled={s.notificationLevel.origin.locked}
        aria-describedby="set-notify-origin"
        onChange={(e) => props.onChange('notificationLevel', e.target.value)}
      >
        <option value="attention">When a verified fix is waiting, and for alarms</option>
        <option value="alarm">Only for alarms (exposed with no fix, possible attack)</option>
        <option value="none">Never</option>
      </select>
      <OriginNote id="set-notify-origin" origin={s.notificationLevel.origin} helpdesk={s.helpdesk} />
      <PauseControls pausedUntil={s.notificationsPausedUntil} now={props.now} onPause={props.onPause} />
    </fieldset>
  )
}

/** "Pause for 1 hour" / "until tomorrow", or, while paused, until when and "Resume". */
function PauseControls(props: {
  readonly pausedUntil: string | null
  readonly now: number
  readonly onPause: SettingsFormProps['onPause']
}) {
  // "Pause" and "Resume" replace each other: keep focus in the group instead of letting it fall to <body>.
  const pauseGroup = useRef<HTMLDivElement | null>(null)
  const paused = props.pausedUntil !== null
  const seenPaused = useRef(paused)
  useEffect(() => {
    if (seenPaused.current === paused) return
    seenPaused.current = paused
    const at = document.activeElement
    if (at === null || at === document.body || pauseGroup.current?.contains(at)) {
      pauseGroup.current?.querySelector('button')?.focus()
    }
  }, [paused])
  return (
    <div className="pause" role="group" aria-label="Pause notifications" ref={pauseGroup}>
      {props.pausedUntil ? (
        <>
          <span data-testid="paused">
            Notifications are paused until{' '}
            <time dateTime={props.pausedUntil}>
              {new Date(props.pausedUntil).toLocaleTimeString([], {
                hour: '2-digit',
                minute: '2-digit',
              })}
            </time>{' '}
            ({relativeTime(props.pausedUntil, props.now)}).
          </span>{' '}
          <button key="resume" type="button" onClick={() => props.onPause('off')}>
            Resume notifications
          </button>
        </>
      ) : (
        <>
          <button key="1h" type="button" onClick={() => props.onPause('1h')}>
            Pause for 1 hour
          </button>{' '}
          <button key="tomorrow" type="button" onClick={() => props.onPause('tomorrow')}>
            Pause until tomorrow
          </button>
        </>
      )}
    </div>
  )
}

/** Start at login: unavailable in browser mode, lockable by a policy. */
function AutostartField(props: {
  readonly settings: SettingsDto
  readonly onChange: SettingsFormProps['onChange']
}) {
  const s = props.settings
  return (
    <fieldset>
      <legend>Start at login</legend>
      <div className="checkbox">
        <input
          id="set-autostart"
          type="checkbox"
          checked={s.autostart.value}
          disabled={!s.autostart.available || s.autostart.origin.locked}
          aria-describedby="set-autostart-note"
          onChange={(e) => props.onChange('autostart', e.target.checked)}
        />
        <label htmlFor="set-autostart">Start Lifeline when I log in</label>
      </div>
      {s.autostart.origin.locked ? (
        <OriginNote id="set-autostart-note" origin={s.autostart.origin} helpdesk={s.helpdesk} />
      ) : (
        <span id="set-autostart-note" className="muted small">
          {s.autostart.reason ?? 'Adds Lifeline to your desktop’s startup applications.'}
        </span>
      )}
    </fieldset>
  )
}

/** The configured mirrors and where each comes from (read only here). */
function MirrorList(props: { readonly settings: SettingsDto }) {
  const s = props.settings
  return (
    <fieldset>
      <legend>Mirrors</legend>
      <ul className="config-list">
        {s.mirrors.map((m) => (
          <li key={m.id}>
            <span className="mirror-name">{m.name}</span>
            <span className="muted small break">
              {m.url} · {m.suites.join(', ')}
            </span>
            <OriginNote id={`mirror-${m.id}-origin`} origin={m.origin} helpdesk={s.helpdesk} />
          </li>
        ))}
      </ul>
    </fieldset>
  )
}

/** Each advisory source with its on/off switch, what reading it reveals, and who decides. */
function ChannelSwitches(props: {
  readonly settings: SettingsDto
  readonly onChannel: SettingsFormProps['onChannel']
}) {
  const s = props.settings
  return (
    <fieldset>
      <legend>Advisory sources</legend>
      <ul className="config-list">
        {s.channels.map((c) => (
          <ChannelSwitch key={c.id} channel={c} helpdesk={s.helpdesk} onChannel={props.onChannel} />
        ))}
      </ul>
      <p className="muted small">
        Turning a source off takes effect from the next check: it is no longer asked, and what it said no
        longer counts. Your choice is saved in your settings file (<code>removeChannels</code>); a source your
        organisation&apos;s policy adds or removes cannot be switched here. Mirrors and the sources&apos;
        addresses come from the files named beside each one (docs/policy.md explains them).
      </p>
    </fieldset>
  )
}

/** One advisory source: its switch, addresses, privacy note and where it is decided. */
function ChannelSwitch(props: {
  readonly channel: SettingsDto['channels'][number]
  readonly helpdesk: HelpdeskDto | null
  readonly onChannel: SettingsFormProps['onChannel']
}) {
  const c = props.channel
  return (
    <li data-testid="channel-setting" data-channel={c.id}>
      <div className="checkbox">
        <input
          id={`set-channel-${c.id}`}
          type="checkbox"
          checked={c.enabled}
          disabled={c.switchOrigin.locked}
          aria-describedby={`channel-${c.id}-switch channel-${c.id}-privacy`}
          onChange={(e) => props.onChannel(c.id, e.target.checked)}
        />
        <label htmlFor={`set-channel-${c.id}`} className="mirror-name">
          Read {c.name}
        </label>
      </div>
      <span className="muted small break">{c.urls.join(', ')}</span>
      <span id={`channel-${c.id}-privacy`} className="small privacy-note" data-testid="channel-privacy">
        {c.privacyNote}
      </span>
      {c.switchOrigin.locked ? (
        <OriginNote id={`channel-${c.id}-switch`} origin={c.switchOrigin} helpdesk={props.helpdesk} />
      ) : (
        <span id={`channel-${c.id}-switch`} className="muted small">
          {c.enabled ? 'On.' : 'Off: not read.'}
        </span>
      )}
      {/* One lock note when the same policy file both adds the source and locks its switch. */}
      {!(c.switchOrigin.locked && c.origin.locked && c.switchOrigin.file === c.origin.file) && (
        <OriginNote id={`channel-${c.id}-origin`} origin={c.origin} helpdesk={props.helpdesk} />
      )}
    </li>
  )
}
