/**
 * Server-rendered SVG charts as plain data: every coordinate is computed here and the Handlebars partials in
 * views/partials/chart/ only print them (templates never inject markup). Each chart carries a <title> and a
 * <desc>, a data table as its text alternative, value labels on every bar, and fill patterns (solid, hatched,
 * dotted) so that nothing depends on colour alone and the chart stays readable in black and white print.
 */
export type ChartPattern = 'solid' | 'hatch' | 'dots' | 'cross';

const PATTERN_COLOUR: Record<ChartPattern, string> = { solid: '#0b5394', hatch: '#a4161a', dots: '#7a4b00', cross: '#5a6675' };

export interface ChartDefs {
  id: string;
  patterns: { id: string; kind: ChartPattern; colour: string }[];
}

export interface ChartLegendItem {
  text: string;
  fill: string;
  x: number;
  y: number;
  textX: number;
  textY: number;
}

export interface ChartTable {
  caption: string;
  headers: string[];
  rows: string[][];
}

interface Datum {
  label: string;
  /** null: no data for this category (drawn as a dash, no bar). */
  value: number | null;
  /** The value as shown (already formatted: "95 %", "12"). */
  valueText: string;
  pattern?: ChartPattern;
  /** Extra cells for the data table, after label and valueText. */
  extra?: string[];
}

export interface ColumnChartInput {
  id: string;
  title: string;
  desc: string;
  data: Datum[];
  /** Top of the scale (1 for rates). */
  max: number;
  ticks: { value: number; text: string }[];
  target?: { value: number; text: string };
  legend?: { text: string; pattern: ChartPattern }[];
  table: { caption: string; headers: string[] };
}

export interface ColumnChart {
  kind: 'column';
  id: string;
  title: string;
  desc: string;
  width: number;
  height: number;
  defs: ChartDefs;
  axis: { x1: number; y1: number; x2: number; y2: number };
  ticks: { y: number; x1: number; x2: number; text: string; textX: number; textY: number }[];
  bars: {
    x: number;
    y: number;
    width: number;
    height: number;
    fill: string;
    label: string;
    labelX: number;
    labelY: number;
    valueText: string;
    valueX: number;
    valueY: number;
    hasBar: boolean;
  }[];
  target?: { x1: number; x2: number; y: number; text: string; textX: number; textY: number };
  legend: ChartLegendItem[];
  table: ChartTable;
}

const round = (n: number) => Math.round(n * 10) / 10;
const safeId = (id: string) => id.replace(/[^a-z0-9-]/gi, '-').toLowerCase() || 'chart';

function defsFor(id: string): ChartDefs {
  return {
    id,
    patterns: (['hatch', 'dots', 'cross'] as const).map((kind) => ({ id: `${id}-${kind}`, kind, colour: PATTERN_COLOUR[kind] })),
  };
}

export function fillOf(id: string, pattern: ChartPattern = 'solid'): string {
  return pattern === 'solid' ? PATTERN_COLOUR.solid : `url(#${id}-${pattern})`;
}

function legendRow(id: string, items: { text: string; pattern: ChartPattern }[] | undefined, y: number, startX: number): ChartLegendItem[] {
  let x = startX;
  return (items ?? []).map((item) => {
    const entry = { text: item.text, fill: fillOf(id, item.pattern), x, y, textX: x + 18, textY: y + 11 };
    x += 18 + item.text.length * 6.5 + 24;
    return entry;
  });
}

/** Vertical bars over categories (months), with an optional target line. */
export function columnChart(input: ColumnChartInput): ColumnChart {
  const id = safeId(input.id);
  const width = 720;
  const left = 52;
  const right = 12;
  // Headroom above the plot: the value of a full bar sits above it, and the objective's label above that.
  const top = 34;
  const hasLegend = (input.legend?.length ?? 0) > 0;
  const plotH = 190;
  const bottom = 34 + (hasLegend ? 26 : 0);
  const height = top + plotH + bottom;
  const plotW = width - left - right;
  const n = Math.max(input.data.length, 1);
  const band = plotW / n;
  const barW = Math.min(48, band * 0.62);
  const max = input.max > 0 ? input.max : 1;
  const yOf = (v: number) => round(top + plotH - (Math.min(Math.max(v, 0), max) / max) * plotH);
  const fontStep = n > 16 ? 2 : 1;

  const bars = input.data.map((d, i) => {
    const cx = left + band * i + band / 2;
    const y = d.value === null ? top + plotH : yOf(d.value);
    return {
      x: round(cx - barW / 2),
      y,
      width: round(barW),
      height: round(top + plotH - y),
      fill: fillOf(id, d.pattern),
      hasBar: d.value !== null && d.value > 0,
      label: i % fontStep === 0 ? d.label : '',
      labelX: round(cx),
      labelY: top + plotH + 16,
      valueText: d.valueText,
      valueX: round(cx),
      valueY: round(y - 4),
    };
  });
  return {
    kind: 'column',
    id,
    title: input.title,
    desc: input.desc,
    width,
    height,
    defs: defsFor(id),
    axis: { x1: left, y1: top + plotH, x2: width - right, y2: top + plotH },
    ticks: input.ticks.map((t) => ({ y: yOf(t.value), x1: left, x2: width - right, text: t.text, textX: left - 6, textY: yOf(t.value) + 4 })),
    bars,
    target: input.target ? { x1: left, x2: width - right, y: yOf(input.target.value), text: input.target.text, textX: left, textY: 13 } : undefined,
    legend: legendRow(id, input.legend, top + plotH + 30, left),
    table: {
      caption: input.table.caption,
      headers: input.table.headers,
      rows: input.data.map((d) => [d.label, d.valueText, ...(d.extra ?? [])]),
    },
  };
}

export interface BarChartInput {
  id: string;
  /** Drawing width in SVG units (default 480); narrower charts keep their text larger in small columns. */
  width?: number;
  title: string;
  desc: string;
  data: Datum[];
  legend?: { text: string; pattern: ChartPattern }[];
  table: { caption: string; headers: string[] };
}

export interface BarChart {
  kind: 'bar';
  id: string;
  title: string;
  desc: string;
  width: number;
  height: number;
  defs: ChartDefs;
  bars: {
    x: number;
    y: number;
    width: number;
    height: number;
    fill: string;
    hasBar: boolean;
    label: string;
    labelX: number;
    labelY: number;
    valueText: string;
    valueX: number;
    valueY: number;
  }[];
  axis: { x1: number; y1: number; x2: number; y2: number };
  legend: ChartLegendItem[];
  table: ChartTable;
}

/** Horizontal bars, one per category, scaled to the largest value; the label sits left, the value right. */
export function barChart(input: BarChartInput): BarChart {
  const id = safeId(input.id);
  const width = input.width ?? 480;
  const labelW = Math.round(width * 0.32);
  const valueW = 56;
  const rowH = 30;
  const top = 8;
  const hasLegend = (input.legend?.length ?? 0) > 0;
  const plotW = width - labelW - valueW;
  const max = Math.max(1, ...input.data.map((d) => d.value ?? 0));
  const bars = input.data.map((d, i) => {
    const y = top + i * rowH;
    const w = d.value === null ? 0 : round((Math.max(d.value, 0) / max) * plotW);
    return {
      x: labelW,
      y: y + 5,
      width: w,
      height: rowH - 10,
      fill: fillOf(id, d.pattern),
      hasBar: w > 0,
      label: d.label,
      labelX: labelW - 8,
      labelY: y + rowH / 2 + 4,
      valueText: d.valueText,
      valueX: labelW + w + 6,
      valueY: y + rowH / 2 + 4,
    };
  });
  const plotBottom = top + input.data.length * rowH;
  return {
    kind: 'bar',
    id,
    title: input.title,
    desc: input.desc,
    width,
    height: plotBottom + 8 + (hasLegend ? 26 : 0),
    defs: defsFor(id),
    bars,
    axis: { x1: labelW, y1: top, x2: labelW, y2: plotBottom },
    legend: legendRow(id, input.legend, plotBottom + 8, labelW),
    table: {
      caption: input.table.caption,
      headers: input.table.headers,
      rows: input.data.map((d) => [d.label, d.valueText, ...(d.extra ?? [])]),
    },
  };
}
