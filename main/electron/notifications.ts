import { Notification } from 'electron'
import { join } from 'node:path'
import type { PlannedNotification } from '../core/notify/notify'

/**
 * Shows one planned notification (the decision is main/core/notify). A click runs `onClick` with the advisory to
 * open, or undefined for the overview. Thin on purpose: nothing here decides anything.
 */
export function showNotification(
  n: PlannedNotification,
  iconsDir: string,
  onClick: (advisoryId: string | undefined) => void,
): void {
  if (!Notification.isSupported()) return
  const note = new Notification({
    title: n.title,
    body: n.body,
    urgency: n.urgency,
    icon: join(iconsDir, 'lifeline.png'),
  })
  note.on('click', () => onClick(n.advisoryId))
  note.show()
}
