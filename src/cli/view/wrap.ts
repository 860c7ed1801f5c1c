/**
 * Text cut into screen lines of a given width, measured as the terminal does (CJK and emoji take two columns), so
 * that a conversation knows how many lines each message takes and can scroll by lines: a long message wraps inside
 * its pane and can never push the pane's title off the screen.
 * @module
 */
import stringWidth from 'string-width';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Columns `text` takes in a terminal. */
export const columnsOf = (text: string): number => stringWidth(text);

/**
 * `text` cut into lines of at most `width` columns: at spaces where it can, inside a word only when the word alone is
 * wider than a line. Line breaks in the text (a pasted paragraph) start new lines. Always at least one line.
 */
export const wrapText = (text: string, width: number): string[] => {
  const max = Math.max(1, Math.floor(width));
  const out: string[] = [];
  for (const paragraph of text.split(/\r\n|\r|\n/u)) {
    let line = '';
    let lineWidth = 0;
    // Words keep the spaces before them, so nothing typed is lost in the drawing.
    for (const word of paragraph.split(/(?<=\s)(?=\S)/u)) {
      const w = columnsOf(word);
      if (lineWidth + w <= max) {
        line += word;
        lineWidth += w;
        continue;
      }
      const trimmed = word.trimStart();
      if (line !== '' && columnsOf(trimmed) <= max) {
        out.push(line.trimEnd());
        line = trimmed;
        lineWidth = columnsOf(trimmed);
        continue;
      }
      for (const { segment } of segmenter.segment(word)) {
        const g = columnsOf(segment);
        if (lineWidth + g > max && line !== '') {
          out.push(line.trimEnd());
          line = '';
          lineWidth = 0;
          if (/^\s$/u.test(segment)) continue;
        }
        line += segment;
        lineWidth += g;
      }
    }
    out.push(line.trimEnd());
  }
  return out;
};
