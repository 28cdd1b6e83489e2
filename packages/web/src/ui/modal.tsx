/**
 * A modal dialog on the native <dialog> element: the browser provides the dialog role, the focus
 * trap, Escape to close and the inert background; this adds a title, a close button and
 * closing on a click outside the panel.
 *
 * `showModal()` focuses the first focusable element, the close button, and React's `autoFocus`
 * runs before it (React never renders the `autofocus` attribute the browser would honour). So the
 * field a dialog wants focused carries `data-autofocus` and is focused once the dialog is open:
 * typing goes straight into it, and Enter does not press "Close".
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { CloseIcon } from './icons.js';

export function Modal({
  title,
  onClose,
  children,
  className = '',
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  className?: string;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement as HTMLElement | null;
    dialog.showModal();
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      dialog.close();
      opener?.focus?.();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`modal ${className}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        // A click on the backdrop lands on the <dialog> itself, not on the panel inside it.
        if (e.target === ref.current) onClose();
      }}
    >
      <div className="modal-panel">
        <header className="modal-header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="icon-btn" aria-label={t.close} onClick={onClose}>
            <CloseIcon />
          </button>
        </header>
        {children}
      </div>
    </dialog>
  );
}
