import { isPublicHttpsUrl } from './public-https-url.validator';

describe(isPublicHttpsUrl.name, () => {
  it.each([
    'https://example.com/cat.jpg',
    'https://cdn.example.org:8443/a/b.png?x=1',
    'https://8.8.8.8/image.gif',
    'https://[2606:4700::1111]/x.png',
  ])('accepts %s', (url) => {
    expect(isPublicHttpsUrl(url)).toBe(true);
  });

  it.each([
    'http://example.com/cat.jpg',
    'ftp://example.com/cat.jpg',
    'https://localhost/cat.jpg',
    'https://api.localhost/cat.jpg',
    'https://intranet/cat.jpg',
    'https://127.0.0.1/cat.jpg',
    'https://10.1.2.3/cat.jpg',
    'https://172.16.0.1/cat.jpg',
    'https://172.31.255.255/cat.jpg',
    'https://192.168.1.10/cat.jpg',
    'https://169.254.169.254/latest/meta-data',
    'https://100.64.0.1/cat.jpg',
    'https://0.0.0.0/cat.jpg',
    'https://[::1]/cat.jpg',
    'https://[fd00::1]/cat.jpg',
    'https://[fe80::1]/cat.jpg',
    'https://[::ffff:10.0.0.1]/cat.jpg',
    'https://user:pass@example.com/cat.jpg',
    'not a url',
    42,
  ])('refuses %s', (url) => {
    expect(isPublicHttpsUrl(url)).toBe(false);
  });
});
