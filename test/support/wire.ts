/** supertest on an absolute URL of a listening sandbox, for tests that hold URLs (tenant base URLs, discovery). */
import request from 'supertest';

export function wire(method: 'get' | 'post' | 'put' | 'delete', url: string | URL): request.Test {
  const { origin, pathname, search } = new URL(url);
  return request(origin)[method](`${pathname}${search}`);
}
