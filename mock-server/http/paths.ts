/** Where the Sage 200 API lives on the sandbox origin, mirroring the real host's path. */
export const API_BASE_PATH = '/uk/sage200/accounts/v1';
