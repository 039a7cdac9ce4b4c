import type { ScreenDto } from '../../../preload/contract/dto'

/** The screens, in order, with their labels. */
export const SCREENS: readonly { readonly id: ScreenDto; readonly label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'advisories', label: 'Advisories' },
  { id: 'sources', label: 'Sources' },
  { id: 'inspect', label: 'Check instructions' },
  { id: 'settings', label: 'Settings' },
]

/** The screen switcher: plain buttons (Tab to move, Enter/Space to open), the current one marked for screen readers. */
export function NavBar(props: {
  readonly screen: ScreenDto
  readonly onNavigate: (s: ScreenDto) => void
  readonly badges?: Partial<Record<ScreenDto, number>>
}) {
  return (
    <nav className="nav" aria-label="Screens">
      <ul>
        {SCREENS.map((s) => {
          const n = props.badges?.[s.id] ?? 0
          return (
            <li key={s.id}>
              <button
                type="button"
                className="nav-item"
                aria-current={props.screen === s.id ? 'page' : undefined}
                onClick={() => props.onNavigate(s.id)}
              >
                {s.label}
                {n > 0 && (
                  <span className="count" aria-label={`, ${n} need attention`}>
                    {n}
                  </span>
                )}
              </button>
            </li>
          )
        })}
      </ul>
    </nav>
  )
}
