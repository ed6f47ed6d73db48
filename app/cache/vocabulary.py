"""The data of the guard's word classes (lexicon.py parses it).

Format: `[class flags]` opens a class; flags: `nouns` (add plurals of one-word phrases), `loose` (only
two different named values clash), `default=VALUE` (what a prompt naming none means), `spelled=A,B`
(one-word phrases that count only spelled exactly so: `Go` the language, not `go` the verb).
`value: phrase | phrase` names a value; `= a b c` names values that are their own only phrase; a line
starting with `|` continues the previous one; `#` starts a comment line. Members of a class are
mutually exclusive: two prompts naming different ones ask different things.
"""

__all__ = ["VOCABULARY"]

from app.cache.vocabulary_domains import DOMAIN_VOCABULARY

VOCABULARY = (
    """
[type nouns]
string: string | str | text string
list: list | array | arraylist
# Go's slices and arrays, Rust's and C++'s vectors and arrays are different things.
= slice
vector: vector | vec
dict: dict | dictionary | map | hashmap | hash map | mapping | associative array
set: set | hash set | hashset
= frozenset
= tuple pair triple
int: int | integer | whole number
float: float | floating point number | floating point | real number
bool: bool | boolean
= bytes
bytearray: bytearray | byte array
character: character | char
= letter digit word sentence line paragraph file
directory: directory | folder | dir
matrix: matrix | matrices | grid | 2d array | 2d list | two-dimensional array
tree: tree | binary tree
bst: binary search tree | bst
= graph
linked_list: linked list | singly linked list
doubly_linked_list: doubly linked list
= stack queue
heap: heap | priority queue
= deque
generator: generator | iterator
= class
dataframe: dataframe | data frame
number: number | numeric
[language default=python spelled=C,GO,Go,R,Node,TS]
python: python | python3
javascript: javascript | js | node.js | nodejs | ecmascript | node
typescript: typescript | ts
= rust
go: go | golang
= java kotlin scala
c: c | ansi c
cpp: c++ | cpp
csharp: c# | csharp | c sharp
fsharp: f#
= ruby php perl swift
objective_c: objective-c | objective c
= haskell elixir erlang clojure lua julia r dart zig
bash: bash | shell script
= zsh
= powershell
sql: sql | ansi sql | standard sql
postgresql: postgresql | postgres | psql | pl/pgsql | plpgsql
= mysql mariadb sqlite
tsql: t-sql | tsql | sql server | mssql | microsoft sql server
oracle: oracle | pl/sql | plsql
= matlab fortran cobol
assembly: assembly | asm
[human_language default=english]
= english french german spanish italian portuguese dutch swedish norwegian danish finnish polish czech
= russian ukrainian greek turkish arabic hebrew persian hindi bengali urdu chinese mandarin cantonese
= japanese korean vietnamese thai indonesian malay swahili latin esperanto irish welsh romanian
= hungarian
[format]
= json
jsonl: jsonl | ndjson | json lines
yaml: yaml | yml
= xml csv tsv toml ini html
markdown: markdown | md
protobuf: protobuf | protocol buffers
msgpack: msgpack | messagepack
= pickle parquet
excel: excel | xlsx
= pdf
base64: base64 | base 64
base32: base32 | base 32
hex: hex | hexadecimal
= binary octal
decimal: decimal | base 10 | base-10
roman: roman numeral | roman numerals | roman
morse: morse | morse code
utf8: utf-8 | utf8 | utf 8
utf16: utf-16 | utf16 | utf 16
= ascii
latin1: latin-1 | latin1 | iso-8859-1
url: url | uri
iso8601: iso 8601 | iso8601 | iso-8601
unix_time: unix timestamp | epoch | unix time
[case_style]
snake: snake_case | snake case | snakecase | snake
camel: camelcase | camel case | camel | lower camel case
pascal: pascalcase | pascal case | upper camel case | uppercamelcase
kebab: kebab-case | kebab case | kebab | kebabcase | dash case | spinal case
constant: screaming_snake_case | screaming snake case | constant case
title: title case | titlecase
sentence: sentence case
[letter_case]
upper: uppercase | uppercases | uppercased | upper case | upper | all caps | capital letters
lower: lowercase | lowercases | lowercased | lower case | lower | small letters
capitalize: capitalize | capitalise | capitalized | capitalised | capitalizes
swap: swapcase | swap case | swap the case | invert the case
[case_sensitivity]
sensitive: case sensitive | case-sensitive | case sensitively | respecting case
insensitive: case insensitive | case-insensitive | case insensitively | ignoring case | ignore case
    | ignores case | regardless of case | regardless of capitalization | ignoring capitalization
    | ignore letter case | ignoring letter case | without regard to case | without caring about case
    | not caring about case | case ignored
[unit nouns]
nanosecond: nanosecond | ns
microsecond: microsecond | µs
millisecond: millisecond | ms | msec
second: seconds | secs | sec
minute: minute | mins
hour: hour | hrs
= day week month year
celsius: celsius | centigrade
= fahrenheit kelvin
millimeter: millimeter | millimetre | mm
centimeter: centimeter | centimetre | cm
meter: meter | metre
kilometer: kilometer | kilometre | km
inch: inch | inches
foot: foot | feet | ft
= yard mile gram
kilogram: kilogram | kg
pound: pound | lb | lbs
ounce: ounce | oz
= bit byte
kilobyte: kilobyte | kb
megabyte: megabyte | mb
gigabyte: gigabyte | gb
terabyte: terabyte | tb
kibibyte: kibibyte | kib
mebibyte: mebibyte | mib
gibibyte: gibibyte | gib
tebibyte: tebibyte | tib
dollar: dollar | usd
euro: euro | eur
yen: yen | jpy
percent: percent | percentage | %
= degree radian
decimal_place: decimal place | decimal places | decimal digits
significant_figure: significant figure | significant digit | significant digits
[order]
ascending: ascending | increasing | asc | smallest to largest | lowest to highest | low to high
    | least to greatest | alphabetical | alphabetically | a to z
descending: descending | decreasing | desc | largest to smallest | highest to lowest | high to low
    | greatest to least | reverse alphabetical | reverse alphabetically | z to a
[extremum]
max: max | maximum | largest | biggest | greatest | highest | max heap
min: min | minimum | smallest | least | lowest | fewest | min heap
= maximal minimal
[length]
= longest shortest
[length_compare]
= longer shorter
[age]
older: older | oldest | elder
younger: younger | youngest
[frequency]
most_frequent: most frequent | most common | most frequently | commonest | most often
least_frequent: least frequent | least common | least frequently | rarest | least often
[compare]
gt: greater than | more than | larger than | bigger than | higher than | above | exceeds | exceeding | >
lt: less than | fewer than | smaller than | lower than | below | <
ge: at least | greater than or equal to | no less than | not less than | or more | or greater | or higher
    | or above | >= | ≥
le: at most | less than or equal to | no more than | not more than | or less | or fewer | or lower
    | or below | <= | ≤
eq: equal to | == | as many | as much
ne: not equal to | different from | != | ≠
[parity]
even: even | evens
odd: odd | odds
[sign]
= positive negative
[side]
= left right
[rotation]
= clockwise
counterclockwise: counterclockwise | counter-clockwise | anticlockwise | anti-clockwise
    | counter clockwise | anti clockwise
[vertical loose]
= top bottom
[axis]
horizontal: horizontal | horizontally
vertical: vertical | vertically
[axis_name]
row: row | rows | row-wise
column: column | columns | col | cols | column-wise
[way]
forward: forward | forwards
backward: backward | backwards
[position]
start: start with | starts with | starting with | begin with | begins with | beginning with | prefix
    | prefixes | leading | beginning
end: end with | ends with | ending with | suffix | suffixes | trailing
[time_order loose]
= before after during until since
[truth loose]
= true false
[insert_side loose]
prepend: prepend | prepends
append: append | appends
[mutation loose]
add: add | adds | insert | inserts
remove: remove | removes | delete | deletes | drop | drops | eliminate | eliminates
# `trim whitespace` takes it off the ends; `remove whitespace` takes all of it.
trim: trim | trims | trimming | strip | strips | stripping
[toggle loose]
expand: expand | expands | expanded | expanding
collapse: collapse | collapses | collapsed | collapsing
zoom_in: zoom in | zooms in | zooming in | zoom into
zoom_out: zoom out | zooms out | zooming out
open: open | opens | opening
close: close | closes | closing
enable: enable | enables | enabled | enabling
disable: disable | disables | disabled | disabling
lock: lock | locks | locked | locking
unlock: unlock | unlocks | unlocked | unlocking
import: import | imports | importing
export: export | exports | exporting
install: install | installs | installing
uninstall: uninstall | uninstalls | uninstalling
connect: connect | connects | connecting
disconnect: disconnect | disconnects | disconnecting
mount: mount | mounts | mounting
unmount: unmount | unmounts | unmounting | umount
pause: pause | pauses | pausing
# `show hidden files` vs `hide hidden files`
show: show | shows | showing | unhide | unhides | reveal | reveals
hide: hide | hides | hiding
resume: resume | resumes | resuming
[in_place]
in_place: in place | in-place | inplace
[updown loose]
up: up | upward | upwards
down: down | downward | downwards
[rounding]
ceil: ceil | ceiling | round up | rounds up | rounding up | rounded up
floor: floor | round down | rounds down | rounding down | rounded down
[bound]
upper: upper bound
lower: lower bound
[amount]
count: count | counts | counting | counted | number of | how many | total number of | word count
[quantifier loose]
all: all | every
any: any | at least one | some
= both either
alternate: every other | every second | alternate | alternating
[restriction]
only: only | solely | nothing but | exclusively | just
[containment loose]
inside: inside | within
outside: outside | beyond
[concession]
even_if: even if | even though | even when
[letters]
vowel: vowel | vowels
consonant: consonant | consonants
[key_value loose]
key: key | keys
value: value | values
[bounds]
inclusive: inclusive | inclusively
exclusive: exclusive | exclusively
[recursion]
recursive: recursive | recursively | recursion
iterative: iterative | iteratively | iteration
[codec]
encode: encode | encodes | encoding | encoded
decode: decode | decodes | decoding | decoded
encrypt: encrypt | encrypts | encryption | encrypted | cipher
decrypt: decrypt | decrypts | decryption | decrypted | decipher
compress: compress | compresses | compression | compressed
decompress: decompress | decompresses | decompression | decompressed
serialize: serialize | serialise | serializes | serialises | serialization | serialisation | dump | dumps
deserialize: deserialize | deserialise | deserializes | deserialises | deserialization | deserialisation
[stack_op]
push: push | pushes | enqueue | enqueues
pop: pop | pops | dequeue | dequeues
[set_op]
= union
union_all: union all
intersection: intersection | intersect | common elements | elements common | in common
difference: set difference | difference
symmetric_difference: symmetric difference
# `What's the difference between X and Y?`, `Y vs X`, `how do X and Y differ?`: two things compared, in
# either order (`compute the difference between two dates` is arithmetic: not here).
[contrast]
compare: vs | what the difference | what is the difference | what are the differences | what the differences
    | whats the difference | explain the difference | explain the differences | describe the difference
    | versus | differ | differs | differ from | differs from | are they different | how are they different
    | differences
"""
    + DOMAIN_VOCABULARY
)
