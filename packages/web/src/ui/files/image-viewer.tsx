/** An image at full size in a modal dialog: Escape, the close button or a click outside closes it. */
import { useI18n } from '../../i18n/i18n.js';
import type { Attachment } from '../../state/sdk.js';
import { Modal } from '../modal.js';
import { useFileUrl } from './use-file-url.js';

export function ImageViewer({
  attachment,
  onClose,
}: {
  attachment: Attachment;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const image = useFileUrl(attachment.fileId, false);
  return (
    <Modal title={attachment.name} onClose={onClose} className="image-viewer">
      <div className="image-viewer-body" role="status" aria-busy={image.status === 'loading'}>
        {image.status === 'ready' && (
          <img
            src={image.url}
            alt={t.imageViewer(attachment.name)}
            width={attachment.width}
            height={attachment.height}
          />
        )}
        {image.status === 'loading' && <span className="spinner" aria-hidden="true" />}
        {image.status === 'failed' && <p>{t.imageUnavailable}</p>}
      </div>
    </Modal>
  );
}
