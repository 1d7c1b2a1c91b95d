/** Stored files (uploads by SHA-256), downloads and Markdown rendering: shared by every feature. */
export {
  storeFile,
  prepareUpload,
  keepUpload,
  discardUpload,
  type PendingFile,
  UploadRejected,
  ALLOWED,
  ACCEPT_ATTRIBUTE,
  isSha256,
  storedPath,
  cleanFileName,
  uploadedFileName,
  type StoredFile,
} from './store';
export { sendStoredFile, contentDisposition } from './download';
export { renderMarkdown, markdownHtml, markdownPlainText, isSafeLink } from './markdown';
export { findFile, type FileRow } from './files.queries';
