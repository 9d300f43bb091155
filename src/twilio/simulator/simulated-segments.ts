/**
 * num_segments as the simulator reports it: written apart from the bridge's own counter
 * (src/common/segments.ts) so that tests comparing the two mean something. The plain
 * division ignores Twilio's rule against splitting an escape or surrogate pair, so
 * tests use bodies where that rule does not come into play.
 */
const GSM7 =
  /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà\f^{}\\[~\]|€]*$/u;
const GSM7_ESCAPED = /[\f^{}\\[~\]|€]/gu;

export function simulatedSegments(body: string): number {
  const gsm = GSM7.test(body);
  const units = gsm ? body.length + (body.match(GSM7_ESCAPED)?.length ?? 0) : body.length;
  const [single, part] = gsm ? [160, 153] : [70, 67];
  return units <= single ? 1 : Math.ceil(units / part);
}
