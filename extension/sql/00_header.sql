-- booking @EXTVERSION@: atomic appointment booking.
\echo Use "CREATE EXTENSION booking" to load this file. \quit
