/**
 * Why a code point cannot be part of a name or an object key, or `null` when it can. S3 stores keys
 * verbatim but answers listings (ListMultipartUploads, ListObjects) in XML 1.0, which cannot carry C0 or
 * C1 controls, lone surrogates or U+FFFE/U+FFFF: one such key breaks the listing of the whole bucket (Swift
 * answers 500). The other noncharacters, the bidirectional controls and the line and paragraph separators
 * are refused as well, because they disguise what a name says ("gpj.exe") or split log lines.
 */
function whyUnstorable(codePoint: number): string | null {
  if (codePoint <= 0x1f || (codePoint >= 0x7f && codePoint <= 0x9f)) return 'a control character';
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return 'a lone surrogate (malformed UTF-16)';
  if ((codePoint >= 0xfdd0 && codePoint <= 0xfdef) || (codePoint & 0xfffe) === 0xfffe) return 'a noncharacter';
  if (
    codePoint === 0x061c ||
    codePoint === 0x200e ||
    codePoint === 0x200f ||
    (codePoint >= 0x202a && codePoint <= 0x202e) ||
    (codePoint >= 0x2066 && codePoint <= 0x2069)
  ) {
    return 'a bidirectional control';
  }
  if (codePoint === 0x2028 || codePoint === 0x2029) return 'a line or paragraph separator';
  return null;
}

/**
 * The first character of `text` that no S3-compatible store can list, described for a message
 * (`'U+FFFF (a noncharacter)'`), or `null` when every character is storable.
 *
 * @example
 * ```ts
 * unstorableCharacter('talk.webm') // null
 * unstorableCharacter('talk\uFFFF.webm') // 'U+FFFF (a noncharacter)'
 * ```
 */
export function unstorableCharacter(text: string): string | null {
  // Iterating a string yields code points, and a lone surrogate as itself.
  for (const character of text) {
    const codePoint = character.codePointAt(0) as number;
    const why = whyUnstorable(codePoint);
    if (why !== null) return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')} (${why})`;
  }
  return null;
}
