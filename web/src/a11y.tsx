import { useEffect, useRef, type RefObject } from "react";
import { useLocation } from "react-router";

const APP = "Knowhow";

/** The page's main heading: the first h1 in <main>, else the first h1 of the page. */
function mainHeading(): HTMLHeadingElement | null {
  return document.querySelector<HTMLHeadingElement>("main h1") ?? document.querySelector<HTMLHeadingElement>("h1");
}

/** "<page or item title> · Knowhow": from the heading's data-title, else its text. */
function titleOf(h1: HTMLHeadingElement | null): string {
  let text = h1?.dataset.title;
  if (text === undefined && h1) {
    // Its visible words, without decorations hidden from screen readers (the logo's "K").
    const copy = h1.cloneNode(true) as HTMLElement;
    copy.querySelectorAll("[aria-hidden=true]").forEach((el) => el.remove());
    text = copy.textContent ?? "";
  }
  const name = (text ?? "").replace(/\s+/g, " ").trim();
  return name ? `${name} · ${APP}` : APP;
}

/**
 * Keeps document.title in step with the page's main heading, and after a navigation inside the app
 * moves focus to that heading (made focusable with tabIndex -1), so a keyboard or screen-reader user
 * lands at the start of the new page instead of on the link they followed. The first load leaves
 * focus where the browser puts it, so the skip link is the first stop of Tab.
 */
export function RouteFocus() {
  const location = useLocation();
  const first = useRef(true);
  useEffect(() => {
    const moveFocus = !first.current;
    first.current = false;
    const followed = document.activeElement;
    let focused = false;
    const update = () => {
      const h1 = mainHeading();
      const title = titleOf(h1);
      if (document.title !== title) document.title = title;
      // Only once the page has its content: a heading inside a loading state is not yet the page's.
      if (moveFocus && !focused && h1 && !document.querySelector("main .loading")) {
        focused = true;
        // Focus that something else placed since (a field the page focuses itself, the reader's own
        // click or typing, an open dialog) stays where it is.
        const now = document.activeElement;
        const placed = now && now !== document.body && now !== followed && !!now.closest("main, [role=dialog]");
        if (placed) return;
        // (A heading's tabIndex property reads -1 without the attribute; the attribute makes it focusable.)
        if (!h1.hasAttribute("tabindex")) h1.setAttribute("tabindex", "-1");
        h1.focus({ preventScroll: false });
      }
    };
    update();
    const observer = new MutationObserver(update);
    observer.observe(document.getElementById("root") ?? document.body, {
      childList: true,
      subtree: true,
      characterData: true,
    });
    return () => observer.disconnect();
  }, [location.pathname]);
  return null;
}

/** The first stop of Tab on every page: straight to the content, past the top bar and the menu. */
export function SkipLink({ to = "main-content" }: { to?: string }) {
  return (
    <a className="skip-link" href={`#${to}`}>
      Skip to content
    </a>
  );
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), ' +
  'textarea:not([disabled]), [tabindex]:not([tabindex="-1"]), [contenteditable="true"]';

/**
 * A modal dialog's keyboard contract: Tab and Shift+Tab cycle inside it, Escape closes it, and on
 * closing focus returns to the element that opened it (or `fallback` when that is gone).
 */
export function useDialogFocus(
  ref: RefObject<HTMLElement | null>,
  onClose: () => void,
  fallback?: () => HTMLElement | null,
): void {
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const onKey = (e: KeyboardEvent) => {
      const dialog = ref.current;
      if (!dialog) return;
      if (e.key === "Escape") {
        e.preventDefault();
        close.current();
        return;
      }
      if (e.key !== "Tab") return;
      const items = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
        (el) => el.offsetParent !== null || el === document.activeElement,
      );
      if (items.length === 0) {
        e.preventDefault();
        dialog.focus();
        return;
      }
      const firstItem = items[0]!;
      const lastItem = items[items.length - 1]!;
      const active = document.activeElement;
      if (!dialog.contains(active)) {
        e.preventDefault();
        (e.shiftKey ? lastItem : firstItem).focus();
      } else if (e.shiftKey && (active === firstItem || active === dialog)) {
        e.preventDefault();
        lastItem.focus();
      } else if (!e.shiftKey && active === lastItem) {
        e.preventDefault();
        firstItem.focus();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      const back = opener && opener.isConnected && opener !== document.body ? opener : (fallback?.() ?? null);
      // After React has removed the dialog.
      setTimeout(() => back?.focus(), 0);
    };
  }, []);
}
