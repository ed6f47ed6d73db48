"""The guard's word classes for algorithms, maths, libraries, streams, symbols, weekdays, HTTP methods
and ordinals, in vocabulary.py's format (it joins them to the rest)."""

__all__ = ["DOMAIN_VOCABULARY"]

DOMAIN_VOCABULARY = """
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
percentile: percentile | quantile
= quartile
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
comprehension: list comprehension | comprehension
generator_expression: generator expression | generator expressions
[output loose]
print: print | prints | printing | printed | display | displays
return: return | returns | returning | returned
[sync]
sync: synchronous | synchronously | sync | blocking
async: asynchronous | asynchronously | async | non-blocking | nonblocking | await
[concurrency loose]
thread: thread | threads | multithreading | multi-threaded | threaded
# Not `processes` alone: `kill all processes` vs `kill every process` (a process may be a noun or a verb).
process: multiprocess | multi-process | subprocess
[symbol]
space: space | spaces
blank: blank | blanks
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
bracket: bracket | brackets | square bracket | square brackets
parenthesis: parenthesis | parentheses | parens | round brackets
brace: brace | braces | curly brace | curly braces | curly brackets
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
-1: last | final | past | latest | most recent | newest
-2: second to last | second-to-last | second last | penultimate | next to last
n: nth | n th | n-th
k: kth | k th | k-th
i: ith | i th | i-th
"""
