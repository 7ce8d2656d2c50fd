/** Where the upload API (`app/api/uploads/[[...path]]/route.ts`) is mounted. */
export const UPLOAD_ENDPOINT = '/api/uploads';
