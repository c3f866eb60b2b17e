/** Escapes text for SVG content and attribute values alike. */
export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`,
  );
}

export interface ChartRow {
  readonly label: string;
  /** Median of import + first request; absent for bare Node, which imports nothing. */
  readonly coldMs?: number;
  /** Medians of the two phases: they split the cold bar in proportion (a median of sums is not a sum of medians). */
  readonly importMs?: number;
  readonly firstRequestMs?: number;
  readonly wallMs: number;
  /** Printed after the cold value, e.g. "1.4× aws-lite". */
  readonly note?: string;
}

export interface ChartCaption {
  readonly title: string;
  readonly subtitle: string;
  /** What the two parts of the cold bar and the thin bar stand for. */
  readonly legend?: { readonly import: string; readonly request: string; readonly wall: string };
}

const DEFAULT_LEGEND = {
  import: 'import (module load and init)',
  request: 'first request (GetItem through the handler)',
  wall: 'whole process, spawn to exit',
};

const WIDTH = 900;
const LABEL_X = 16;
const BAR_X = 170;
/** Room right of the longest bar for its value text. */
const BAR_SPAN = WIDTH - BAR_X - 210;
const ROW_HEIGHT = 58;
const TOP = 78;
const COLORS = { import: '#1d4ed8', request: '#60a5fa', wall: '#9ca3af', text: '#111827', muted: '#4b5563' };

const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;

/**
 * A horizontal bar chart, one row per variant: the in-process cold start (import, then the first
 * request) above the whole process's wall time. Hand-written SVG keeps the bench free of chart
 * dependencies and the file diffable.
 */
export function coldChartSvg(rows: readonly ChartRow[], caption: ChartCaption): string {
  const scale = BAR_SPAN / Math.max(1, ...rows.map((r) => r.wallMs));
  const height = TOP + rows.length * ROW_HEIGHT + 44;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="title desc" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif">`,
    `<title id="title">${escapeXml(caption.title)}</title>`,
    `<desc id="desc">${escapeXml(caption.subtitle)}</desc>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${LABEL_X}" y="28" font-size="17" font-weight="600" fill="${COLORS.text}">${escapeXml(caption.title)}</text>`,
    `<text x="${LABEL_X}" y="50" font-size="12" fill="${COLORS.muted}">${escapeXml(caption.subtitle)}</text>`,
  ];
  rows.forEach((row, index) => {
    const y = TOP + index * ROW_HEIGHT;
    parts.push(
      `<text x="${LABEL_X}" y="${y + 15}" font-size="14" font-weight="600" fill="${COLORS.text}">${escapeXml(row.label)}</text>`,
    );
    if (row.coldMs !== undefined && row.importMs !== undefined && row.firstRequestMs !== undefined) {
      const cold = row.coldMs;
      const importShare = row.importMs / Math.max(row.importMs + row.firstRequestMs, Number.EPSILON);
      const importWidth = cold * importShare * scale;
      const requestWidth = cold * (1 - importShare) * scale;
      const note = row.note ? ` · ${row.note}` : '';
      parts.push(
        `<rect x="${BAR_X}" y="${y}" width="${px(importWidth)}" height="20" fill="${COLORS.import}"><title>import ${escapeXml(ms(row.importMs))}</title></rect>`,
        `<rect x="${px(BAR_X + importWidth)}" y="${y}" width="${px(requestWidth)}" height="20" fill="${COLORS.request}"><title>first request ${escapeXml(ms(row.firstRequestMs))}</title></rect>`,
        `<text x="${px(BAR_X + importWidth + requestWidth + 8)}" y="${y + 15}" font-size="13" font-weight="600" fill="${COLORS.text}">${escapeXml(`${ms(cold)}${note}`)}</text>`,
      );
    }
    const wallWidth = row.wallMs * scale;
    parts.push(
      `<rect x="${BAR_X}" y="${y + 25}" width="${px(wallWidth)}" height="10" fill="${COLORS.wall}"/>`,
      `<text x="${px(BAR_X + wallWidth + 8)}" y="${y + 34}" font-size="11" fill="${COLORS.muted}">${escapeXml(`process ${ms(row.wallMs)}`)}</text>`,
    );
  });
  const legendY = TOP + rows.length * ROW_HEIGHT + 14;
  const text = caption.legend ?? DEFAULT_LEGEND;
  const legend: [string, string][] = [
    [COLORS.import, text.import],
    [COLORS.request, text.request],
    [COLORS.wall, text.wall],
  ];
  let x = LABEL_X;
  for (const [color, label] of legend) {
    parts.push(
      `<rect x="${x}" y="${legendY}" width="12" height="12" fill="${color}"/>`,
      `<text x="${x + 17}" y="${legendY + 10}" font-size="12" fill="${COLORS.muted}">${escapeXml(label)}</text>`,
    );
    x += 17 + label.length * 6.4 + 22;
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}
