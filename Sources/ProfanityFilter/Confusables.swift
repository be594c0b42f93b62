/// Letters from other scripts that look like Latin letters and that NFKC plus
/// case and diacritic folding leave alone.
///
/// Lookups happen *after* folding, so keys are lowercase and carry no
/// diacritics (`ё` has already become `е`, `ά` has become `α`). Mathematical
/// alphanumerics, fullwidth, circled and superscript letters need no entry:
/// NFKC maps them to plain ASCII. Values are one or two ASCII letters.
enum Confusables {
    static let table: [UInt32: String] = [
        // Cyrillic
        0x0430: "a", // а
        0x0432: "b", // в (small-capital B shape)
        0x0435: "e", // е
        0x043A: "k", // к
        0x043C: "m", // м
        0x043D: "h", // н (small-capital H shape)
        0x043E: "o", // о
        0x043F: "n", // п
        0x0440: "p", // р
        0x0441: "c", // с
        0x0442: "t", // т
        0x0443: "y", // у
        0x0445: "x", // х
        0x0448: "w", // ш
        0x044C: "b", // ь
        0x0455: "s", // ѕ
        0x0456: "i", // і
        0x0458: "j", // ј
        0x04BB: "h", // һ
        0x04AF: "y", // ү
        0x04BD: "e", // ҽ
        0x04CF: "l", // ӏ
        0x0475: "v", // ѵ
        0x0461: "w", // ѡ
        0x0501: "d", // ԁ
        0x051B: "q", // ԛ
        0x051D: "w", // ԝ

        // Greek
        0x03B1: "a", // α
        0x03B2: "b", // β
        0x03B3: "y", // γ
        0x03B4: "d", // δ
        0x03B5: "e", // ε
        0x03B7: "n", // η
        0x03B9: "i", // ι
        0x03BA: "k", // κ
        0x03BC: "u", // μ (also the micro sign after NFKC)
        0x03BD: "v", // ν
        0x03BF: "o", // ο
        0x03C1: "p", // ρ
        0x03C3: "o", // σ
        0x03C4: "t", // τ
        0x03C5: "u", // υ
        0x03C7: "x", // χ
        0x03C9: "w", // ω

        // Latin letters without a decomposition (folding keeps them)
        0x00E6: "ae", // æ
        0x00F0: "d", // ð
        0x00F8: "o", // ø
        0x0111: "d", // đ
        0x0127: "h", // ħ
        0x0131: "i", // ı
        0x0138: "k", // ĸ
        0x0142: "l", // ł
        0x014B: "n", // ŋ
        0x0153: "oe", // œ
        0x0167: "t", // ŧ
        0x0180: "b", // ƀ
        0x0188: "c", // ƈ
        0x0192: "f", // ƒ
        0x0199: "k", // ƙ
        0x019A: "l", // ƚ
        0x019E: "n", // ƞ
        0x01A5: "p", // ƥ
        0x01AD: "t", // ƭ
        0x01B4: "y", // ƴ
        0x01B6: "z", // ƶ
        0x0225: "z", // ȥ
        0x0237: "j", // ȷ
        0x024D: "r", // ɍ

        // IPA extensions
        0x0250: "a", // ɐ
        0x0251: "a", // ɑ
        0x0252: "o", // ɒ
        0x0253: "b", // ɓ
        0x0254: "o", // ɔ
        0x0255: "c", // ɕ
        0x0256: "d", // ɖ
        0x0257: "d", // ɗ
        0x0258: "e", // ɘ
        0x0259: "e", // ə
        0x025B: "e", // ɛ
        0x0260: "g", // ɠ
        0x0261: "g", // ɡ
        0x0262: "g", // ɢ
        0x0263: "y", // ɣ
        0x0266: "h", // ɦ
        0x0268: "i", // ɨ
        0x0269: "i", // ɩ
        0x026A: "i", // ɪ
        0x026B: "l", // ɫ
        0x026C: "l", // ɬ
        0x026D: "l", // ɭ
        0x026F: "w", // ɯ
        0x0271: "m", // ɱ
        0x0272: "n", // ɲ
        0x0273: "n", // ɳ
        0x0274: "n", // ɴ
        0x0275: "o", // ɵ
        0x0279: "r", // ɹ
        0x027A: "r", // ɺ
        0x027B: "r", // ɻ
        0x027D: "r", // ɽ
        0x027E: "r", // ɾ
        0x0280: "r", // ʀ
        0x0281: "r", // ʁ
        0x0282: "s", // ʂ
        0x0283: "f", // ʃ
        0x0284: "f", // ʄ
        0x0286: "f", // ʆ
        0x0287: "t", // ʇ
        0x0288: "t", // ʈ
        0x0289: "u", // ʉ
        0x028A: "u", // ʊ
        0x028B: "v", // ʋ
        0x028C: "v", // ʌ
        0x028D: "w", // ʍ
        0x028F: "y", // ʏ
        0x0290: "z", // ʐ
        0x0291: "z", // ʑ
        0x0299: "b", // ʙ
        0x029C: "h", // ʜ
        0x029D: "j", // ʝ
        0x029F: "l", // ʟ
        0x02A0: "q", // ʠ

        // Small capitals (Phonetic Extensions, Latin Extended-D)
        0x1D00: "a", // ᴀ
        0x1D01: "ae", // ᴁ
        0x1D03: "b", // ᴃ
        0x1D04: "c", // ᴄ
        0x1D05: "d", // ᴅ
        0x1D07: "e", // ᴇ
        0x1D0A: "j", // ᴊ
        0x1D0B: "k", // ᴋ
        0x1D0C: "l", // ᴌ
        0x1D0D: "m", // ᴍ
        0x1D0F: "o", // ᴏ
        0x1D18: "p", // ᴘ
        0x1D1B: "t", // ᴛ
        0x1D1C: "u", // ᴜ
        0x1D20: "v", // ᴠ
        0x1D21: "w", // ᴡ
        0x1D22: "z", // ᴢ
        0xA730: "f", // ꜰ
        0xA731: "s", // ꜱ
    ]
}
