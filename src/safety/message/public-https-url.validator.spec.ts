import ipaddr from 'ipaddr.js';
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

/** ipaddr.js's named ranges of one family, as CIDR strings. */
function specialRanges(family: typeof ipaddr.IPv4 | typeof ipaddr.IPv6): [string, string][] {
  const ranges = (family.prototype as unknown as { SpecialRanges: Record<string, unknown[]> })
    .SpecialRanges;
  return Object.entries(ranges).flatMap(([name, value]) => {
    const list = (Array.isArray(value[0]) ? value : [value]) as [ipaddr.IPv4, number][];
    return list.map(([address, bits]): [string, string] => [name, `${address.toString()}/${bits}`]);
  });
}

describe('the addresses a media URL may not name', () => {
  const urlOf = (address: string) =>
    `https://${address.includes(':') ? `[${address}]` : address}/cat.jpg`;

  it.each([
    ['benchmarking', '198.18.0.1'],
    ['benchmarking, its second half', '198.19.255.254'],
    ['multicast', '224.0.0.1'],
    ['multicast, its last', '239.255.255.255'],
    ['the future-use block', '240.0.0.1'],
    ['broadcast', '255.255.255.255'],
    ['documentation', '203.0.113.7'],
    ['IPv6 documentation', '2001:db8::1'],
    ['IPv6 multicast', 'ff02::1'],
    ['6to4 wrapping a private address', '2002:a00:1::1'],
    ['NAT64 wrapping loopback', '64:ff9b::7f00:1'],
  ])('refuses %s (%s)', (_name, address) => {
    expect(isPublicHttpsUrl(urlOf(address))).toBe(false);
  });

  describe.each([
    ['IPv4', ipaddr.IPv4],
    ['IPv6', ipaddr.IPv6],
  ] as const)('every %s range ipaddr.js knows that is not unicast', (_family, family) => {
    it.each(specialRanges(family).filter(([name]) => name !== 'unicast'))(
      'refuses %s: the first and last address of %s',
      (_name, cidr) => {
        const first = family.networkAddressFromCIDR(cidr).toString();
        const last = family.broadcastAddressFromCIDR(cidr).toString();
        expect([isPublicHttpsUrl(urlOf(first)), isPublicHttpsUrl(urlOf(last))]).toEqual([
          false,
          false,
        ]);
      },
    );
  });
});
