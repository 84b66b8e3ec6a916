/** Where the Sage 200 API lives on the sandbox origin, mirroring the real host's path. */
export const API_BASE_PATH = '/uk/sage200/accounts/v1';

/**
 * The real hosts, which a sandbox created with `publicUrls: 'sage'` names as its own: Sage ID (Auth0, whose issuer
 * ends in `/`) and the Sage 200 Standard API (docs/msw.md).
 */
export const SAGE_ID_BASE_URL = 'https://id.sage.com/';
export const SAGE200_API_BASE_URL = `https://api.columbus.sage.com${API_BASE_PATH}/`;
