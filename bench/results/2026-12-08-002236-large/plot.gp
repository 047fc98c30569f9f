set terminal pngcairo size 560,500 font 'sans,10'
set datafile missing 'NaN'
set key below maxrows 1
set grid
set xlabel 'clients'
set logscale x 2
set xrange [0.769231:1.3]
set xtics (1)
