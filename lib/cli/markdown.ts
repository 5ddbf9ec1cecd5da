/**
 * A runbook's markdown made readable on a terminal: headings, bullets, code and emphasis styled;
 * without colour (piped, NO_COLOR) the markdown passes through untouched, for tools and files.
 */
import type { TerminalStyle } from './terminal';

/** `markdown` styled for the terminal, or as it is when the style has no colour. */
export function renderMarkdownForTerminal(markdown: string, style: TerminalStyle): string {
  if (!style.color) return markdown;
  const out: string[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    const fence = /^(\s*)```/.exec(line);
    if (fence) {
      // The fence markers carry no meaning on a terminal; the code keeps its indentation.
      fenced = !fenced;
      continue;
    }
    if (fenced) {
      out.push(`  ${style.code(line)}`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const text = inline(heading[2] ?? '', style);
      out.push(
        (heading[1] ?? '').length === 1 ? style.bold(style.underline(text)) : style.bold(text),
      );
      continue;
    }
    const bullet = /^(\s*)[-*]\s+(.*)$/.exec(line);
    if (bullet) {
      out.push(`${bullet[1] ?? ''}• ${inline(bullet[2] ?? '', style)}`);
      continue;
    }
    out.push(inline(line, style));
  }
  return out.join('\n');
}

/** Inline code, bold and links: `x` styled as code, **x** bold, [text](url) as `text (url)`. */
function inline(text: string, style: TerminalStyle): string {
  // Links first: the escape codes the other two insert contain `[`, which a link would match.
  return text
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, (_m, label: string, url: string) => `${label} (${url})`)
    .replace(/\*\*([^*]+)\*\*/g, (_m, bold: string) => style.bold(bold))
    .replace(/`([^`]+)`/g, (_m, code: string) => style.code(code));
}
