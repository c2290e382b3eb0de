/**
 * ECharts with only the parts the dashboard draws (line and bar charts, their axes, legend,
 * tooltip, title, mark lines and the aria description) and the SVG renderer: a fraction of the
 * full bundle, and no eval or inline script (the console's CSP allows inline styles only).
 */
import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, TitleComponent, MarkLineComponent, AriaComponent, SVGRenderer]);

export { echarts };
export type Chart = ReturnType<typeof echarts.init>;

declare global {
  interface Window {
    /** Every chart's data by chart id, as drawn (tests read it; so can anyone in the devtools). */
    __consoleCharts?: Record<string, unknown>;
  }
}

/** Publishes a chart's data for tests and the devtools (also on the container as `data-series`). */
export function exposeChart(id: string, data: unknown): void {
  window.__consoleCharts ??= {};
  window.__consoleCharts[id] = data;
}
