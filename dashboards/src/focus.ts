// Where the keyboard's focus goes when what held it leaves the page: never lost to the top of
// the document (a keyboard user would tab through the whole header again).

/**
 * Marks where a list item is (a card whose alert is being resolved), before it changes: the
 * returned function, called once it has, moves the focus (after the page has drawn the change)
 * to the item if it is still there (the patient's closed alerts), else to the item now in its
 * place, else to the one before it, else to the main content. Marked first because the live
 * feed may remove the card before the hub's answer comes back.
 */
export function focusNear(item: Element): () => void {
  const list = item.parentElement;
  const index = list ? Array.prototype.indexOf.call(list.children, item) : -1;
  return () =>
    // preact draws on a microtask: after it
    setTimeout(() => {
      const next = item.isConnected
        ? item
        : (list?.children[index] ?? list?.children[index - 1] ?? null);
      const target =
        next?.querySelector<HTMLElement>('a[href], button:not([disabled]), summary') ??
        document.getElementById('main');
      target?.focus();
    }, 0);
}
