import { escapeXml } from './format';

// The page shell and small building blocks shared by the plan and compare HTML reports: one stylesheet,
// inline (no external request), laid out to fit any width from 360 px up without sideways scrolling.

const CSS = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1080px;color:#0f172a;padding:12px 12px 40px;line-height:1.4;overflow-wrap:break-word}
h1{font-size:20px;margin:0 0 2px}h2{font-size:17px;margin:26px 0 8px;border-bottom:1px solid #e2e8f0;padding-bottom:4px}h3{font-size:15px;margin:14px 0 6px}
.meta,.note{color:#475569;font-size:12px;margin:2px 0}
.badge{display:inline-block;padding:1px 10px;border-radius:12px;color:#fff;font-weight:600;font-size:14px;vertical-align:middle}
.badge.pass{background:#16a34a}.badge.fail{background:#dc2626}
.table-wrap{max-width:100%;overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:13px}
td,th{border-bottom:1px solid #e2e8f0;padding:3px 6px;text-align:left;vertical-align:top}
td{overflow-wrap:anywhere}#comparison td:first-child{white-space:nowrap}th{font-weight:600;background:#f8fafc;white-space:nowrap}
tr.detail td{border-bottom:1px solid #cbd5e1;font-size:12px;color:#7f1d1d;padding-top:0}
th.num,td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.time{white-space:nowrap;font-variant-numeric:tabular-nums}
tr.fail td,tr.error td{background:#fef2f2}tr.warning td{background:#fffbeb}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:8px;margin:10px 0}
.kpi{border:1px solid #e2e8f0;border-radius:8px;padding:6px 10px}.kpi b{display:block;font-size:18px}.kpi span{color:#475569;font-size:12px}
.kpi.fail{border-color:#dc2626;background:#fef2f2}
section.failures{border:2px solid #dc2626;border-radius:8px;padding:4px 12px 10px;margin:10px 0;background:#fff}
section.failures h2{color:#b91c1c;border-bottom-color:#fecaca;margin-top:6px}
.failure{margin:8px 0 14px;font-size:14px}.failure p{margin:4px 0}.failure h3{color:#991b1b}.failure ul{margin:4px 0;padding-left:20px}.failure li{margin:2px 0}
.fixes li{color:#14532d}
figure.chart{margin:14px 0;min-width:0}figure.chart svg{display:block;width:100%;height:auto}
.chart-title{font-weight:600;font-size:14px;margin-bottom:2px}
svg .grid{stroke:#e2e8f0}svg .baseline,svg .tick{stroke:#94a3b8}svg .axis{font-size:11px;fill:#475569}
svg .limit{stroke:#dc2626;stroke-width:1.5;stroke-dasharray:6 4}svg .limit-label{fill:#b91c1c;font-weight:600}
svg .marker line{stroke:#ea580c;stroke-width:1.2;stroke-dasharray:3 3}svg .marker path{fill:#ea580c}
svg .marker.interruption line{stroke:#9333ea}svg .marker.interruption path{fill:#9333ea}
.legend{font-size:12px;color:#334155;display:flex;flex-wrap:wrap;gap:2px 12px}
.swatch{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px;vertical-align:-1px}
.swatch.limit{background:#dc2626}.swatch.fault{background:#ea580c}.swatch.interruption{background:#9333ea}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,460px),1fr));gap:0 20px}
details{margin:6px 0}summary{cursor:pointer;font-weight:600}
.pool{margin:10px 0}.node-row{display:grid;grid-template-columns:minmax(0,1.3fr) minmax(0,2fr) 62px;gap:6px;align-items:center;font-size:12px;padding:3px 0;border-bottom:1px solid #f1f5f9}
.node-name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.bars{display:grid;gap:2px}.bar{position:relative;height:12px;background:#e2e8f0;border-radius:3px;overflow:hidden}
.bar i{position:absolute;left:0;top:0;bottom:0;background:#93c5fd}.bar.mem i{background:#86efac}.bar.full i{background:#fca5a5}
.bar span{position:absolute;left:4px;top:-1px;font-size:10px;color:#0f172a;white-space:nowrap}
.price{text-align:right;font-variant-numeric:tabular-nums}
`;

/** A whole page: the stylesheet inline, a viewport for phones, no script, no external asset. */
export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${CSS}</style></head><body>
${body}
</body></html>
`;
}

export interface Column {
  readonly header: string;
  readonly numeric?: boolean;
  readonly time?: boolean;
}

/** A table whose cells are already HTML; wide tables scroll inside their own box, never the page. */
export function htmlTable(columns: readonly Column[], rows: readonly (readonly string[])[], rowClass?: (index: number) => string | undefined, detail?: (index: number) => string | undefined): string {
  const head = columns.map((c) => `<th${c.numeric ? ' class="num"' : ''}>${escapeXml(c.header)}</th>`).join('');
  const body = rows.map((row, index) => {
    const cls = rowClass?.(index);
    const cells = row.map((cell, col) => {
      const column = columns[col];
      const className = column?.numeric ? 'num' : column?.time ? 'time' : undefined;
      return `<td${className ? ` class="${className}"` : ''}>${cell}</td>`;
    }).join('');
    const extra = detail?.(index);
    return `<tr${cls ? ` class="${cls}"` : ''}>${cells}</tr>${extra ? `<tr class="detail${cls ? ` ${cls}` : ''}"><td colspan="${columns.length}">${extra}</td></tr>` : ''}`;
  }).join('\n');
  return `<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** A section collapsed by default when it is long (`<details>`), open when short. */
export function collapsible(summary: string, content: string, open: boolean): string {
  return `<details${open ? ' open' : ''}><summary>${escapeXml(summary)}</summary>${content}</details>`;
}

export const esc = escapeXml;
