"""The data of the guard's word classes (lexicon.py parses it).

Format: `[class flags]` opens a class; flags: `nouns` (add plurals of one-word phrases), `loose` (only
two different named values clash), `default=VALUE` (what a prompt naming none means), `spelled=A,B`
(one-word phrases that count only spelled exactly so: `Go` the language, not `go` the verb).
`value: phrase | phrase` names a value; `= a b c` names values that are their own only phrase; a line
starting with `|` continues the previous one. Members of a class are mutually exclusive: two prompts
naming different ones ask different things.
"""

__all__ = ["VOCABULARY"]

VOCABULARY = """
[type nouns]
string: string | str | text string
list: list | array | vector | slice | arraylist | python list | js array
dict: dict | dictionary | map | hashmap | hash map | mapping | associative array
set: set | hash set | hashset | frozenset
tuple: tuple | pair | triple
int: int | integer | whole number
float: float | floating point number | floating point | real number
bool: bool | boolean
bytes: bytes | bytearray | byte array
character: character | char
= letter digit word sentence line paragraph file
directory: directory | folder
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
= number
[language default=python spelled=C,GO,Go,R]
python: python | python3
javascript: javascript | js | node.js | nodejs | ecmascript
= typescript rust
go: go | golang
= java kotlin scala
c: c | ansi c
cpp: c++ | cpp
csharp: c# | csharp | c sharp
fsharp: f#
= ruby php perl swift
objective_c: objective-c | objective c
= haskell elixir erlang clojure lua julia r dart zig
bash: bash | shell script | zsh
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
json: json | jsonl | ndjson
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
max: max | maximum | largest | biggest | greatest | highest | maximal | max heap
min: min | minimum | smallest | least | lowest | minimal | fewest | min heap
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
eq: equal to | ==
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
= before after
[truth loose]
= true false
[insert_side loose]
prepend: prepend | prepends
append: append | appends
[mutation loose]
add: add | adds | insert | inserts
remove: remove | removes | delete | deletes | strip | strips | drop | drops | eliminate | eliminates
    | trim | trims
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
resume: resume | resumes | resuming
[in_place]
in_place: in place | in-place | inplace
[updown loose]
up: up | upward | upwards | ceil | ceiling
down: down | downward | downwards | floor
[bound]
upper: upper bound
lower: lower bound
[amount]
count: count | counts | counting | counted | number of | how many | total number of | word count
[quantifier loose]
all: all | every
any: any | at least one | some
only: only | solely | nothing but
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
[search]
bfs: breadth-first | breadth first | bfs | level order | level-order
dfs: depth-first | depth first | dfs
binary_search: binary search | bisection | bisect
linear_search: linear search | sequential search
preorder: preorder | pre-order
inorder: inorder | in-order
postorder: postorder | post-order
[sort_algorithm]
bubble: bubble sort | bubblesort | bubble-sort
insertion: insertion sort | insertionsort | insertion-sort
selection: selection sort | selectionsort | selection-sort
merge: merge sort | mergesort | merge-sort
quick: quick sort | quicksort | quick-sort
heap: heap sort | heapsort | heap-sort
counting: counting sort | countingsort | counting-sort
radix: radix sort | radixsort | radix-sort
bucket: bucket sort | bucketsort | bucket-sort
shell: shell sort | shellsort | shell-sort
tim: tim sort | timsort | tim-sort
topological: topological sort | topologicalsort | topological-sort
cocktail: cocktail sort | cocktailsort | cocktail-sort
gnome: gnome sort | gnomesort | gnome-sort
[statistic]
mean: mean | average | avg | arithmetic mean
= median mode variance
stdev: standard deviation | stdev | std
percentile: percentile | quantile | quartile
sum: sum | sums | add up | adds up | adding up | sum up | sums up | summing
= product
[power]
square: square | squares | squared
cube: cube | cubes | cubed
[root]
square_root: square root | sqrt
cube_root: cube root | cbrt
[math]
gcd: gcd | greatest common divisor | greatest common factor | highest common factor | hcf | gcf
lcm: lcm | least common multiple | lowest common multiple | smallest common multiple
= factorial fibonacci
prime: prime | primes
= composite
perfect_number: perfect number
armstrong: armstrong | narcissistic
palindrome: palindrome | palindromic
anagram: anagram | anagrams
= pangram isogram
leap_year: leap year
permutation: permutation | permutations
combination: combination | combinations
subset: subset | subsets | power set | powerset
logarithm: log | logarithm | ln
exponential: exp | exponential
sine: sin | sine
cosine: cos | cosine
tangent: tan | tangent
[geometry]
area: area | surface area
perimeter: perimeter | circumference
= volume diagonal circle rectangle triangle sphere cylinder cone polygon hexagon ellipse
radius: radius | radii
= diameter
[library]
= numpy pandas scipy requests urllib httpx aiohttp asyncio threading multiprocessing itertools functools
regex: regex | regexes | regexp | regular expression | regular expressions
= collections flask django fastapi sqlalchemy pytest unittest matplotlib seaborn tensorflow
= pytorch torch sklearn react vue angular jquery express lodash tokio serde boost stl linq
[stream]
stdin: stdin | standard input
stdout: stdout | standard output
stderr: stderr | standard error
[loop]
for: for loop | for-loop | for loops
while: while loop | while-loop | while loops
comprehension: list comprehension | comprehension | generator expression
[output loose]
print: print | prints | printing | printed | display | displays
return: return | returns | returning | returned
[sync]
sync: synchronous | synchronously | sync | blocking
async: asynchronous | asynchronously | async | non-blocking | nonblocking | await
[concurrency loose]
thread: thread | threads | multithreading | multi-threaded | threaded
process: processes | multiprocess | multi-process | subprocess
[symbol]
space: space | spaces | blank | blanks
whitespace: whitespace | whitespaces | white space
tab: tab | tabs
newline: newline | newlines | line break | line breaks | linebreak
underscore: underscore | underscores
hyphen: hyphen | hyphens | dash | dashes
comma: comma | commas
semicolon: semicolon | semicolons
colon: colon | colons
period: period | periods | full stop | full stops | dot | dots
slash: slash | slashes | forward slash
backslash: backslash | backslashes
pipe: pipe | pipes
bracket: bracket | brackets | parenthesis | parentheses | braces
= punctuation
[weekday]
= monday tuesday wednesday thursday friday saturday sunday
[http_method spelled=DELETE,GET,HEAD,PATCH,POST,PUT]
= get post put patch delete head
[ordinal]
1: first
2: second
3: third
4: fourth
5: fifth
6: sixth
7: seventh
8: eighth
9: ninth
10: tenth
-1: last | final
-2: second to last | second-to-last | second last | penultimate | next to last
n: nth | n th | n-th
k: kth | k th | k-th
i: ith | i th | i-th
"""
