set terminal pngcairo size 1120,520 font 'sans,10'
set datafile missing 'NaN'
set key below
set grid
set xlabel 'clients'
set logscale x 2
set xrange [0.769231:10.4]
set xtics (1, 2, 4, 8)
set output '/work/main/bench/results/2026-11-22-011443-full/throughput.png'
set multiplot layout 1,2 title 'Free slots: throughput (median of rounds)'
set ylabel 'transactions per second'
set yrange [0:*]
set title 'synchronous\_commit=off (CPU cost)'
plot '/work/main/bench/results/2026-11-22-011443-full/free.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#d62728' title 'booking.book', '/work/main/bench/results/2026-11-22-011443-full/free.dat' using 1:5 with linespoints lw 2 pt 7 lc rgb '#ff7f0e' title 'booking.book, events off', '/work/main/bench/results/2026-11-22-011443-full/free.dat' using 1:8 with linespoints lw 2 pt 7 lc rgb '#1f77b4' title 'seed design', '/work/main/bench/results/2026-11-22-011443-full/free.dat' using 1:11 with linespoints lw 2 pt 7 lc rgb '#2ca02c' title 'textbook', '/work/main/bench/results/2026-11-22-011443-full/free.dat' using 1:14 with linespoints lw 2 pt 7 lc rgb '#7f7f7f' title 'write limit', '/work/main/bench/results/2026-11-22-011443-full/free.dat' using 1:17 with linespoints lw 2 pt 7 lc rgb '#bcbd22' title 'write limit, narrow rows'
set title 'synchronous\_commit=on (durable)'
plot '/work/main/bench/results/2026-11-22-011443-full/durable.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#d62728' title 'booking.book', '/work/main/bench/results/2026-11-22-011443-full/durable.dat' using 1:5 with linespoints lw 2 pt 7 lc rgb '#ff7f0e' title 'booking.book, events off', '/work/main/bench/results/2026-11-22-011443-full/durable.dat' using 1:8 with linespoints lw 2 pt 7 lc rgb '#1f77b4' title 'seed design', '/work/main/bench/results/2026-11-22-011443-full/durable.dat' using 1:11 with linespoints lw 2 pt 7 lc rgb '#2ca02c' title 'textbook', '/work/main/bench/results/2026-11-22-011443-full/durable.dat' using 1:14 with linespoints lw 2 pt 7 lc rgb '#7f7f7f' title 'write limit', '/work/main/bench/results/2026-11-22-011443-full/durable.dat' using 1:17 with linespoints lw 2 pt 7 lc rgb '#bcbd22' title 'write limit, narrow rows'
unset multiplot
set output '/work/main/bench/results/2026-11-22-011443-full/latency.png'
set multiplot layout 1,2 title 'Free slots: latency p50 (solid) and p99 (dashed), from pgbench -l'
set ylabel 'milliseconds'
set logscale y 10
set yrange [*:*]
set title 'synchronous\_commit=off (CPU cost)'
plot '/work/main/bench/results/2026-11-22-011443-full/free.dat' using 1:3 with linespoints lw 2 pt 7 lc rgb '#d62728' title 'booking.book p50', '/work/main/bench/results/2026-11-22-011443-full/free.dat' using 1:4 with linespoints lw 2 dt 2 pt 6 lc rgb '#d62728' title 'booking.book p99', '/work/main/bench/results/2026-11-22-011443-full/free.dat' using 1:6 with linespoints lw 2 pt 7 lc rgb '#ff7f0e' title 'booking.book, events off p50', '/work/main/bench/results/2026-11-22-011443-full/free.dat' using 1:7 with linespoints lw 2 dt 2 pt 6 lc rgb '#ff7f0e' title 'booking.book, events off p99', '/work/main/bench/results/2026-11-22-011443-full/free.dat' using 1:9 with linespoints lw 2 pt 7 lc rgb '#1f77b4' title 'seed design p50', '/work/main/bench/results/2026-11-22-011443-full/free.dat' using 1:10 with linespoints lw 2 dt 2 pt 6 lc rgb '#1f77b4' title 'seed design p99', '/work/main/bench/results/2026-11-22-011443-full/free.dat' using 1:12 with linespoints lw 2 pt 7 lc rgb '#2ca02c' title 'textbook p50', '/work/main/bench/results/2026-11-22-011443-full/free.dat' using 1:13 with linespoints lw 2 dt 2 pt 6 lc rgb '#2ca02c' title 'textbook p99', '/work/main/bench/results/2026-11-22-011443-full/free.dat' using 1:15 with linespoints lw 2 pt 7 lc rgb '#7f7f7f' title 'write limit p50', '/work/main/bench/results/2026-11-22-011443-full/free.dat' using 1:16 with linespoints lw 2 dt 2 pt 6 lc rgb '#7f7f7f' title 'write limit p99', '/work/main/bench/results/2026-11-22-011443-full/free.dat' using 1:18 with linespoints lw 2 pt 7 lc rgb '#bcbd22' title 'write limit, narrow rows p50', '/work/main/bench/results/2026-11-22-011443-full/free.dat' using 1:19 with linespoints lw 2 dt 2 pt 6 lc rgb '#bcbd22' title 'write limit, narrow rows p99'
set title 'synchronous\_commit=on (durable)'
plot '/work/main/bench/results/2026-11-22-011443-full/durable.dat' using 1:3 with linespoints lw 2 pt 7 lc rgb '#d62728' title 'booking.book p50', '/work/main/bench/results/2026-11-22-011443-full/durable.dat' using 1:4 with linespoints lw 2 dt 2 pt 6 lc rgb '#d62728' title 'booking.book p99', '/work/main/bench/results/2026-11-22-011443-full/durable.dat' using 1:6 with linespoints lw 2 pt 7 lc rgb '#ff7f0e' title 'booking.book, events off p50', '/work/main/bench/results/2026-11-22-011443-full/durable.dat' using 1:7 with linespoints lw 2 dt 2 pt 6 lc rgb '#ff7f0e' title 'booking.book, events off p99', '/work/main/bench/results/2026-11-22-011443-full/durable.dat' using 1:9 with linespoints lw 2 pt 7 lc rgb '#1f77b4' title 'seed design p50', '/work/main/bench/results/2026-11-22-011443-full/durable.dat' using 1:10 with linespoints lw 2 dt 2 pt 6 lc rgb '#1f77b4' title 'seed design p99', '/work/main/bench/results/2026-11-22-011443-full/durable.dat' using 1:12 with linespoints lw 2 pt 7 lc rgb '#2ca02c' title 'textbook p50', '/work/main/bench/results/2026-11-22-011443-full/durable.dat' using 1:13 with linespoints lw 2 dt 2 pt 6 lc rgb '#2ca02c' title 'textbook p99', '/work/main/bench/results/2026-11-22-011443-full/durable.dat' using 1:15 with linespoints lw 2 pt 7 lc rgb '#7f7f7f' title 'write limit p50', '/work/main/bench/results/2026-11-22-011443-full/durable.dat' using 1:16 with linespoints lw 2 dt 2 pt 6 lc rgb '#7f7f7f' title 'write limit p99', '/work/main/bench/results/2026-11-22-011443-full/durable.dat' using 1:18 with linespoints lw 2 pt 7 lc rgb '#bcbd22' title 'write limit, narrow rows p50', '/work/main/bench/results/2026-11-22-011443-full/durable.dat' using 1:19 with linespoints lw 2 dt 2 pt 6 lc rgb '#bcbd22' title 'write limit, narrow rows p99'
unset multiplot
unset logscale y
set terminal pngcairo size 1120,420 font 'sans,10'
set output '/work/main/bench/results/2026-11-22-011443-full/memory.png'
unset logscale x
set xrange [0:*]
set xtics auto
unset key
set xlabel 'calls'
set ylabel 'MiB'
set yrange [0:*]
set format x '%.0s%c'
set multiplot layout 1,2 title 'One backend over the calls (book + claim\_slot, one connection)'
set title 'RssAnon: the backend''s private memory'
plot '/work/main/bench/results/2026-11-22-011443-full/memory.dat' using 1:3 with linespoints lw 2 pt 7 ps 0.4 lc rgb '#d62728'
set title 'VmRSS: private + shared buffers it has touched'
plot '/work/main/bench/results/2026-11-22-011443-full/memory.dat' using 1:2 with linespoints lw 2 pt 7 ps 0.4 lc rgb '#1f77b4'
unset multiplot
