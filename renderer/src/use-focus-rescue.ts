import { useEffect, useRef, type RefObject } from 'react'

/**
 * Puts focus back on `target` when `busy` ends and focus was lost meanwhile.
 *
 * A button that is disabled while its work runs ("Check now", "Check") drops the focus to `<body>` (Chromium's focus
 * fix-up), so a keyboard user would start again from the top of the page.
 */
export function useFocusRescue(target: RefObject<HTMLElement | null>, busy: boolean): void {
  const was = useRef(busy)
  useEffect(() => {
    const ended = was.current && !busy
    was.current = busy
    if (!ended) return
    const at = document.activeElement
    if (at === null || at === document.body) target.current?.focus()
  }, [busy, target])
}
