set terminal pngcairo size 1120,920 font 'sans,10'
set datafile missing 'NaN'
set key below maxrows 3
set grid
set xlabel 'clients'
set logscale x 2
set xrange [0.769231:10.4]
set xtics (1, 2, 4, 8)
set output 'throughput.png'
set multiplot layout 2,2 title 'Free slots: throughput (median of rounds); rows: installs'
set ylabel 'transactions per second'
set yrange [0:*]
set title 'preloaded: synchronous\_commit=off (CPU cost)'
plot 'free-preloaded.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#d62728' title 'booking.book', 'free-preloaded.dat' using 1:5 with linespoints lw 2 pt 7 lc rgb '#1f77b4' title 'seed design', 'free-preloaded.dat' using 1:8 with linespoints lw 2 pt 7 lc rgb '#2ca02c' title 'textbook', 'free-preloaded.dat' using 1:11 with linespoints lw 2 pt 7 lc rgb '#7f7f7f' title 'write limit', 'free-preloaded.dat' using 1:14 with linespoints lw 2 pt 7 lc rgb '#bcbd22' title 'write limit, narrow rows'
set title 'preloaded: synchronous\_commit=on (durable)'
plot 'durable-preloaded.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#d62728' title 'booking.book', 'durable-preloaded.dat' using 1:5 with linespoints lw 2 pt 7 lc rgb '#1f77b4' title 'seed design', 'durable-preloaded.dat' using 1:8 with linespoints lw 2 pt 7 lc rgb '#2ca02c' title 'textbook', 'durable-preloaded.dat' using 1:11 with linespoints lw 2 pt 7 lc rgb '#7f7f7f' title 'write limit', 'durable-preloaded.dat' using 1:14 with linespoints lw 2 pt 7 lc rgb '#bcbd22' title 'write limit, narrow rows'
set title 'unpreloaded: synchronous\_commit=off (CPU cost)'
plot 'free-unpreloaded.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#d62728' title 'booking.book', 'free-unpreloaded.dat' using 1:5 with linespoints lw 2 pt 7 lc rgb '#1f77b4' title 'seed design', 'free-unpreloaded.dat' using 1:8 with linespoints lw 2 pt 7 lc rgb '#2ca02c' title 'textbook', 'free-unpreloaded.dat' using 1:11 with linespoints lw 2 pt 7 lc rgb '#7f7f7f' title 'write limit', 'free-unpreloaded.dat' using 1:14 with linespoints lw 2 pt 7 lc rgb '#bcbd22' title 'write limit, narrow rows'
set title 'unpreloaded: synchronous\_commit=on (durable)'
plot 'durable-unpreloaded.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#d62728' title 'booking.book', 'durable-unpreloaded.dat' using 1:5 with linespoints lw 2 pt 7 lc rgb '#1f77b4' title 'seed design', 'durable-unpreloaded.dat' using 1:8 with linespoints lw 2 pt 7 lc rgb '#2ca02c' title 'textbook', 'durable-unpreloaded.dat' using 1:11 with linespoints lw 2 pt 7 lc rgb '#7f7f7f' title 'write limit', 'durable-unpreloaded.dat' using 1:14 with linespoints lw 2 pt 7 lc rgb '#bcbd22' title 'write limit, narrow rows'
unset multiplot
set terminal pngcairo size 1120,1080 font 'sans,10'
set key below maxrows 5 samplen 2 font ',9'
set output 'latency.png'
set multiplot layout 2,2 title 'Free slots: latency p50 (solid) and p99 (dashed), from pgbench -l; rows: installs'
set ylabel 'milliseconds'
set logscale y 10
set yrange [*:*]
set title 'preloaded: synchronous\_commit=off (CPU cost)'
plot 'free-preloaded.dat' using 1:3 with linespoints lw 2 pt 7 lc rgb '#d62728' title 'booking.book p50', 'free-preloaded.dat' using 1:4 with linespoints lw 2 dt 2 pt 6 lc rgb '#d62728' title 'booking.book p99', 'free-preloaded.dat' using 1:6 with linespoints lw 2 pt 7 lc rgb '#1f77b4' title 'seed design p50', 'free-preloaded.dat' using 1:7 with linespoints lw 2 dt 2 pt 6 lc rgb '#1f77b4' title 'seed design p99', 'free-preloaded.dat' using 1:9 with linespoints lw 2 pt 7 lc rgb '#2ca02c' title 'textbook p50', 'free-preloaded.dat' using 1:10 with linespoints lw 2 dt 2 pt 6 lc rgb '#2ca02c' title 'textbook p99', 'free-preloaded.dat' using 1:12 with linespoints lw 2 pt 7 lc rgb '#7f7f7f' title 'write limit p50', 'free-preloaded.dat' using 1:13 with linespoints lw 2 dt 2 pt 6 lc rgb '#7f7f7f' title 'write limit p99', 'free-preloaded.dat' using 1:15 with linespoints lw 2 pt 7 lc rgb '#bcbd22' title 'write limit, narrow rows p50', 'free-preloaded.dat' using 1:16 with linespoints lw 2 dt 2 pt 6 lc rgb '#bcbd22' title 'write limit, narrow rows p99'
set title 'preloaded: synchronous\_commit=on (durable)'
plot 'durable-preloaded.dat' using 1:3 with linespoints lw 2 pt 7 lc rgb '#d62728' title 'booking.book p50', 'durable-preloaded.dat' using 1:4 with linespoints lw 2 dt 2 pt 6 lc rgb '#d62728' title 'booking.book p99', 'durable-preloaded.dat' using 1:6 with linespoints lw 2 pt 7 lc rgb '#1f77b4' title 'seed design p50', 'durable-preloaded.dat' using 1:7 with linespoints lw 2 dt 2 pt 6 lc rgb '#1f77b4' title 'seed design p99', 'durable-preloaded.dat' using 1:9 with linespoints lw 2 pt 7 lc rgb '#2ca02c' title 'textbook p50', 'durable-preloaded.dat' using 1:10 with linespoints lw 2 dt 2 pt 6 lc rgb '#2ca02c' title 'textbook p99', 'durable-preloaded.dat' using 1:12 with linespoints lw 2 pt 7 lc rgb '#7f7f7f' title 'write limit p50', 'durable-preloaded.dat' using 1:13 with linespoints lw 2 dt 2 pt 6 lc rgb '#7f7f7f' title 'write limit p99', 'durable-preloaded.dat' using 1:15 with linespoints lw 2 pt 7 lc rgb '#bcbd22' title 'write limit, narrow rows p50', 'durable-preloaded.dat' using 1:16 with linespoints lw 2 dt 2 pt 6 lc rgb '#bcbd22' title 'write limit, narrow rows p99'
set title 'unpreloaded: synchronous\_commit=off (CPU cost)'
plot 'free-unpreloaded.dat' using 1:3 with linespoints lw 2 pt 7 lc rgb '#d62728' title 'booking.book p50', 'free-unpreloaded.dat' using 1:4 with linespoints lw 2 dt 2 pt 6 lc rgb '#d62728' title 'booking.book p99', 'free-unpreloaded.dat' using 1:6 with linespoints lw 2 pt 7 lc rgb '#1f77b4' title 'seed design p50', 'free-unpreloaded.dat' using 1:7 with linespoints lw 2 dt 2 pt 6 lc rgb '#1f77b4' title 'seed design p99', 'free-unpreloaded.dat' using 1:9 with linespoints lw 2 pt 7 lc rgb '#2ca02c' title 'textbook p50', 'free-unpreloaded.dat' using 1:10 with linespoints lw 2 dt 2 pt 6 lc rgb '#2ca02c' title 'textbook p99', 'free-unpreloaded.dat' using 1:12 with linespoints lw 2 pt 7 lc rgb '#7f7f7f' title 'write limit p50', 'free-unpreloaded.dat' using 1:13 with linespoints lw 2 dt 2 pt 6 lc rgb '#7f7f7f' title 'write limit p99', 'free-unpreloaded.dat' using 1:15 with linespoints lw 2 pt 7 lc rgb '#bcbd22' title 'write limit, narrow rows p50', 'free-unpreloaded.dat' using 1:16 with linespoints lw 2 dt 2 pt 6 lc rgb '#bcbd22' title 'write limit, narrow rows p99'
set title 'unpreloaded: synchronous\_commit=on (durable)'
plot 'durable-unpreloaded.dat' using 1:3 with linespoints lw 2 pt 7 lc rgb '#d62728' title 'booking.book p50', 'durable-unpreloaded.dat' using 1:4 with linespoints lw 2 dt 2 pt 6 lc rgb '#d62728' title 'booking.book p99', 'durable-unpreloaded.dat' using 1:6 with linespoints lw 2 pt 7 lc rgb '#1f77b4' title 'seed design p50', 'durable-unpreloaded.dat' using 1:7 with linespoints lw 2 dt 2 pt 6 lc rgb '#1f77b4' title 'seed design p99', 'durable-unpreloaded.dat' using 1:9 with linespoints lw 2 pt 7 lc rgb '#2ca02c' title 'textbook p50', 'durable-unpreloaded.dat' using 1:10 with linespoints lw 2 dt 2 pt 6 lc rgb '#2ca02c' title 'textbook p99', 'durable-unpreloaded.dat' using 1:12 with linespoints lw 2 pt 7 lc rgb '#7f7f7f' title 'write limit p50', 'durable-unpreloaded.dat' using 1:13 with linespoints lw 2 dt 2 pt 6 lc rgb '#7f7f7f' title 'write limit p99', 'durable-unpreloaded.dat' using 1:15 with linespoints lw 2 pt 7 lc rgb '#bcbd22' title 'write limit, narrow rows p50', 'durable-unpreloaded.dat' using 1:16 with linespoints lw 2 dt 2 pt 6 lc rgb '#bcbd22' title 'write limit, narrow rows p99'
unset multiplot
unset logscale y
set terminal pngcairo size 1120,420 font 'sans,10'
set output 'memory.png'
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
plot 'memory.dat' using 1:3 with linespoints lw 2 pt 7 ps 0.4 lc rgb '#d62728'
set title 'VmRSS: private + shared buffers it has touched'
plot 'memory.dat' using 1:2 with linespoints lw 2 pt 7 ps 0.4 lc rgb '#1f77b4'
unset multiplot
