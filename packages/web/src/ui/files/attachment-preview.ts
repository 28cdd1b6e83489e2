/** The conversation list's words for an attachment: "[Image]", "[File] report.pdf", "[Voice] 0:05". */
import type { Messages } from '../../i18n/en.js';
import { formatDuration } from '../../i18n/units.js';
import type { Attachment, SendAttachment } from '../../state/sdk.js';
import { uploadedFile } from '../../state/use-uploads.js';

export function attachmentPreview(t: Messages, attachment: Attachment | SendAttachment): string {
  // A pending send names only the file id: its name is known when this page uploaded it.
  const described = 'name' in attachment ? attachment : null;
  const file = described ?? uploadedFile(attachment.fileId);
  const kind =
    attachment.kind ?? (uploadedFile(attachment.fileId)?.media === 'image' ? 'image' : 'file');
  switch (kind) {
    case 'image':
      return t.previewImage;
    case 'file':
      return t.previewFile(file?.name ?? '');
    case 'voice':
      return t.previewVoice(formatDuration(attachment.durationMs ?? 0));
  }
}
