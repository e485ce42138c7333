import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { LogModel } from '../log';
import { LogViewer, type LogViewerProps } from './log-viewer';

// The log view as the browser gets it: text stays text, colours are classes, rows are virtual.
function render(text: string, more: Partial<LogViewerProps> = {}): string {
  const model = new LogModel();
  model.append(text);
  model.finish();
  return renderToString(
    h(LogViewer, {
      lines: model.lines,
      sections: model.sections,
      version: 1,
      follow: false,
      onFollowChange: () => undefined,
      target: undefined,
      matches: new Set<number>(),
      onLineLink: () => undefined,
      ...more,
    }),
  );
}

describe('LogViewer', () => {
  it('draws markup from a log as text, never as elements', () => {
    const html = render('<script>alert(1)</script>\n<img src=x onerror=alert(2)>\n');
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toContain('&lt;script>alert(1)&lt;/script>');
    expect(html).toContain('&lt;img src=x onerror=alert(2)>');
  });

  it('draws ANSI colours as classes and drops an OSC 8 link to its text', () => {
    const html = render(
      '\u001b[1;31mbad\u001b[0m ok\n\u001b]8;;javascript:alert(1)\u0007click\u001b]8;;\u0007\n',
    );
    expect(html).toContain('<span class="fg-red bold">bad</span> ok');
    expect(html).toContain('>click</span>');
    expect(html).not.toContain('javascript:');
  });

  it('numbers lines as #L links, marks the target and search hits, folds sections', () => {
    const html = render('::group::Install\nnpm ci\n::endgroup::\nnpm test\n', {
      target: 4,
      matches: new Set([2]),
    });
    for (const line of [1, 2, 3, 4]) expect(html).toContain(`href="#L${line}"`);
    expect(html).toContain('aria-label="Collapse section Install"');
    expect(html).toMatch(/class="log-row log-row-match" [^>]*id="L2"/);
    expect(html).toMatch(/class="log-row log-row-marker" [^>]*id="L3"/);
    expect(html).toMatch(/class="log-row log-row-target" [^>]*id="L4"/);
  });

  it('shows a time column only when asked, blank where a time is unknown', () => {
    expect(render('a\n')).not.toContain('log-time');
    const html = render('a\nb\n', { timeOf: (line) => (line === 1 ? '06:33:07' : undefined) });
    expect(html).toContain('<span class="log-time">06:33:07</span>');
    expect(html).toContain('<span class="log-time"></span>');
  });

  it('puts only the rows in view and a margin in the page, whatever the log length', () => {
    const text = Array.from({ length: 10_000 }, (_, index) => `line ${index + 1}`).join('\n');
    const rows = render(`${text}\n`).match(/class="log-row/g) ?? [];
    // 600 px of viewport at 20 px a row, and 30 rows of margin below (none above the top).
    expect(rows).toHaveLength(60);
  });
});
