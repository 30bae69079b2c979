// Dashboard charts (Chart.js UMD). Every series is labelled on the chart itself, so no legend is
// needed; the numbers are also in a table under each chart.
(() => {
  const source = document.getElementById('dashboard-data');
  if (!source || typeof Chart === 'undefined') return;
  const data = JSON.parse(source.textContent || '{}');
  // Okabe–Ito: distinguishable with the common colour-vision deficiencies.
  const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#999999', '#000000'];
  const TEXT = '#1f2328';
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  Chart.defaults.color = TEXT;
  Chart.defaults.animation = false;
  Chart.defaults.plugins.legend.display = false;

  function halo(ctx, text, x, y, align) {
    ctx.save();
    ctx.font = '12px ' + Chart.defaults.font.family;
    ctx.textAlign = align;
    ctx.textBaseline = 'middle';
    ctx.lineWidth = 4;
    ctx.strokeStyle = '#ffffff';
    ctx.strokeText(text, x, y);
    ctx.fillStyle = TEXT;
    ctx.fillText(text, x, y);
    ctx.restore();
  }

  // Writes the count inside each dot.
  const bubbleCounts = {
    id: 'bubbleCounts',
    afterDatasetsDraw(chart) {
      const { ctx } = chart;
      chart.data.datasets.forEach((ds, i) => {
        chart.getDatasetMeta(i).data.forEach((pt, j) => {
          ctx.save();
          ctx.font = 'bold 11px ' + Chart.defaults.font.family;
          ctx.textAlign = 'center';
          ctx.textBaseline = 'middle';
          ctx.fillStyle = '#ffffff';
          ctx.strokeStyle = 'rgba(0,0,0,.55)';
          ctx.lineWidth = 3;
          ctx.strokeText(String(ds.data[j].n), pt.x, pt.y);
          ctx.fillText(String(ds.data[j].n), pt.x, pt.y);
          ctx.restore();
        });
      });
    },
  };

  // Writes each bar's value at its end.
  const valueLabels = {
    id: 'valueLabels',
    afterDatasetsDraw(chart) {
      const meta = chart.getDatasetMeta(0);
      meta.data.forEach((bar, j) => halo(chart.ctx, String(chart.data.datasets[0].data[j]), bar.x + 6, bar.y, 'left'));
    },
  };

  // Exceptions over time by type: one row per type (named on the axis), one column per day, a
  // dot sized by the count with the count written in it.
  const types = document.getElementById('chart-types');
  if (types) {
    const rows = data.byType.map((t) => t.label);
    const max = Math.max(1, ...data.byType.flatMap((t) => t.counts));
    types.parentElement.style.height = 70 + 34 * Math.max(rows.length, 2) + 'px';
    new Chart(types, {
      type: 'bubble',
      data: {
        datasets: data.byType.map((t, i) => ({
          label: t.label,
          data: t.counts.flatMap((n, d) =>
            n > 0 ? [{ x: data.days[d], y: t.label, r: 5 + 11 * Math.sqrt(n / max), n }] : [],
          ),
          backgroundColor: PALETTE[i % PALETTE.length] + 'cc',
          borderColor: PALETTE[i % PALETTE.length],
        })),
      },
      options: {
        maintainAspectRatio: false,
        layout: { padding: { top: 8, right: 16 } },
        scales: {
          x: {
            type: 'category',
            labels: data.days,
            offset: true,
            grid: { display: false },
            ticks: { callback: (v, i) => data.days[i].slice(5) },
            title: { display: true, text: 'Day (UTC)' },
          },
          y: { type: 'category', labels: rows, offset: true, title: { display: false } },
        },
        plugins: { tooltip: { callbacks: { label: (c) => c.dataset.label + ': ' + c.raw.n + ' on ' + c.raw.x } } },
      },
      plugins: [bubbleCounts],
    });
  }

  // Long category names break over lines instead of being cut off.
  function wrap(text, width) {
    const lines = [];
    let line = '';
    for (const word of String(text).split(' ')) {
      if (line && (line + ' ' + word).length > width) {
        lines.push(line);
        line = word;
      } else line = line ? line + ' ' + word : word;
    }
    if (line) lines.push(line);
    return lines;
  }

  function ranking(id, rows, key) {
    const el = document.getElementById(id);
    if (!el) return;
    new Chart(el, {
      type: 'bar',
      data: {
        labels: rows.map((r) => wrap(r[key], 30)),
        datasets: [{ label: 'Exceptions', data: rows.map((r) => r.count), backgroundColor: PALETTE[0] }],
      },
      options: {
        indexAxis: 'y',
        maintainAspectRatio: false,
        layout: { padding: { right: 30 } },
        scales: {
          x: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'Exceptions' } },
          y: { grid: { display: false }, ticks: { autoSkip: false } },
        },
      },
      plugins: [valueLabels],
    });
  }
  ranking('chart-suppliers', data.suppliers, 'name');
  ranking('chart-causes', data.causes, 'rule');
})();
