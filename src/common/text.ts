/**
 * Characters that show nothing: white space, zero-width characters, joiners and marks, and the
 * filler characters some input methods produce (Hangul fillers, braille blank, the Mongolian vowel
 * separator, the soft hyphen). A name or title made only of these is blank.
 */
const INVISIBLE = /[\s\u00AD\u034F\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2800\u3164\uFEFF\uFFA0]/gu;

export const hasVisibleCharacter = (text: string): boolean => text.replace(INVISIBLE, '').length > 0;
