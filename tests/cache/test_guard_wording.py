"""Guard cases from held-out sets E, F and G: `or not` is the question, `one line` is `a line`, a shell
command names the shell, pandas implies its DataFrame, `C` and `R` name languages, `3x3` is two numbers,
and an explanation is not code. From sets E-H: `the X of Y` is the compound `Y X`, `std::string` is a
string, `most recent` is `last`, the verbs of looking (`see`, `view`, `show`) and of reading ask for the
same thing as `get`, libraries and the command line name their language, `set` the verb is not the type."""

from __future__ import annotations

import pytest

from app.cache.guard import check_prompts

PARAPHRASES = [
    ("How do I check if a file exists in Python?", "Python - check whether a file exists or not"),
    (
        "Write a function that checks if a binary tree is height-balanced",
        "Implement a function to determine whether a binary tree is height-balanced or not",
    ),
    ("Check whether or not the list is sorted", "Check if the list is sorted"),
    (
        "Git: discard local changes to a single file.",
        "How can I throw away the local changes to one file in git?",
    ),
    ("Rust: read a line of input from stdin.", "How do I read one line from standard input in Rust?"),
    ("Compute the sum of numbers from 1 to 100", "Calculate the sum of the numbers one through one hundred"),
    ("Bash: replace a string in a file with sed.", "How do I use sed to substitute a string in a file?"),
    ("pandas: rename a column", "How can I change a column's name in a pandas DataFrame?"),
    ("R: read a CSV file into a data frame", "How do I load a CSV file as a data frame in R?"),
    ("Implement binary search in C.", "Write a C implementation of binary search."),
    ("NumPy: create a 3x3 identity matrix", "How do I make a 3 by 3 identity matrix with NumPy?"),
    ("Explain what a closure is in JavaScript.", "What is a closure in JavaScript?"),
    ("What does the yield keyword do in Python?", "Explain Python's yield keyword."),
    ("How do I view the logs of a Docker container?", "Docker: show the logs of a container"),
    (
        "How do I escape special characters for a regex in Python?",
        "In Python, how can I escape regex special characters in a string?",
    ),
    ("YAML: write a multi-line string", "How to write a multiline string in YAML"),
    ("SQL: get rows from the last 24 hours", "SQL - select the rows from the past 24 hours"),
    (
        "How do I compute the factorial of a big number in Java?",
        "In Java, how can I calculate the factorial of a large number?",
    ),
    (
        "Sum the third column of sales.csv with awk, skipping the header line",
        "Sum the third column of sales.csv with awk, ignoring the header line",
    ),
    (
        "How do I check if a year is a leap year?",
        "What's the logic to determine whether a year is a leap year?",
    ),
]

NEAR_MISSES = [
    ("Check if the file is not empty", "Check if the file is empty"),
    ("Read one or more lines from a file", "Read a line from a file"),
    ("Delete one file", "Delete two files"),
    ("Update one matching document in MongoDB.", "Update all matching documents in MongoDB."),
    ("Explain quicksort", "Implement quicksort"),
    ("Explain what a closure is in JavaScript.", "Write a closure in JavaScript."),
    ("Explain how to reverse a list", "Reverse a list"),
    ("Create a 3x4 matrix of zeros", "Create a 4x3 matrix of zeros"),
    ("Compute A minus C", "Compute A minus B"),
    ("Reverse a string in C", "Reverse a string in R"),
    ("Use sed to replace a string in a file", "Python: replace a string in a file"),
    ("zsh: use sed to edit a file in place", "Use sed to edit a file in place"),
    ("pandas: convert a DataFrame to a list", "pandas: convert a Series to a list"),
    ("Check if a regex matches the whole string", "Check if a regex matches the string"),
    ("Count the characters in a string", "Count the characters in a file"),
    ("YAML: write a multi-line string", "YAML: write a string"),
    ("SQL: get the rows from the past 24 hours", "SQL: get the rows from the first 24 hours"),
]


COMPOUND_PARAPHRASES = [
    ("Go: start an HTTP server on port 8080", "How do I run an HTTP server on port 8080 in Go?"),
    (
        "Sort a Python list of integers in ascending order.",
        "In Python, how can I order a list of ints from smallest to largest?",
    ),
    ("Translate 'Good morning' into French.", "How do you say 'Good morning' in French?"),
    ("Write a SQLite query that lists all tables in the database.", "SQLite: show every table in the DB."),
    ("Python: return the median of a list of numbers", "Python: compute the median value of a numeric list"),
    (
        "Write lcs(a, b) in Python using dynamic programming",
        "Using dynamic programming, write lcs(a, b) in Python",
    ),
    ("Check the installed version of Node.js", "How do I find out which Node.js version is installed?"),
    (
        "hey, how do I make an HTTP POST request with a JSON body in Go?",
        "Go: send a POST request with a JSON body",
    ),
    (
        "Helm: how do I override a value from values.yaml on the command line?",
        "With helm, how do I override a values.yaml value from the CLI?",
    ),
    ("What is the difference between JSON and YAML?", "JSON vs YAML differences"),
    (
        "Write a bash one-liner to kill all processes matching 'python'.",
        "a one-liner in bash that kills every process matching 'python'",
    ),
    (
        "Scala: what is the difference between map and flatMap?",
        "In Scala, map vs flatMap - how are they different?",
    ),
    (
        "I am getting 'ModuleNotFoundError: No module named requests'. How to fix?",
        "Fix for 'ModuleNotFoundError: No module named requests'?",
    ),
    (
        "Explain Go channels with a simple example.",
        "Could you explain channels in Go, with a simple example?",
    ),
    ("What does 2>&1 mean in bash?", "In bash, what's the meaning of 2>&1?"),
    ("Explain the difference between props and state in React.", "props vs state in react"),
    (
        "Redis: how do I set a key with an expiry of 60 seconds?",
        "redis set key that expires after 60 seconds",
    ),
    (
        "Set the execution policy to RemoteSigned in PowerShell",
        "PowerShell change execution policy to RemoteSigned",
    ),
    ("awk: print the second column of a file", "print column 2 of a file using awk"),
    ("How do I resolve merge conflicts in git?", "How to fix merge conflicts in git?"),
    (
        "Ruby: `palindrome?(s)` returns true if s reads the same backwards, ignoring case and spaces",
        "Ruby: `palindrome?(s)` returning true when s reads the same backwards, ignoring spaces and case",
    ),
    (
        "Kotlin: count the vowels in a string, case-insensitively",
        "Kotlin: count vowels in a string without caring about case",
    ),
    (
        "Java: `isBalanced(s)` checks whether brackets are balanced",
        "Java: `isBalanced(s)` should return whether the brackets are balanced",
    ),
    (
        "Write a Java method that takes an int[] and returns its sum",
        "Write a Java method accepting an int[] which returns its sum",
    ),
    ("Rust: sort a vector of f64 values", "How can I sort a Vec<f64> in Rust?"),
    (
        "How do I convert a byte array to a hex string in Java?",
        "In Java, how can I turn a byte[] into a hex string?",
    ),
    ("Go: convert a string to a byte slice", "Golang - turn a string into a []byte"),
    ("C: allocate a 2D array dynamically", "C - dynamically allocate a two-dimensional array"),
    (
        "Docker: list containers with their IP addresses",
        "docker - show containers along with their IP addresses",
    ),
    ("How do I check if an object is empty in JavaScript?", "Check whether a JS object has no keys"),
    (
        "SQL: find duplicate emails in a users table",
        "SQL - which emails appear more than once in the users table",
    ),
    ("git stash only specific files", "How can I stash just certain files in git?"),
    (
        "`is_armstrong(n)` in Python. Example: is_armstrong(153) returns True",
        "`is_armstrong(n)` in Python, e.g. is_armstrong(153) == True",
    ),
    (
        "Git: undo the last commit but keep the changes",
        "git: undo my most recent commit without losing the changes",
    ),
    (
        "Kotlin: return the second element, or null if the list has fewer than two elements",
        "Kotlin: return the 2nd element, or null when the list has less than 2 elements",
    ),
    ("How do I make a GET request with URLSession in Swift?", "Swift: GET request using URLSession"),
    ("hey, how do I delete a non-empty directory in Python?", "Python: remove a directory that isn't empty"),
    ("Explain Dijkstra's algorithm", "How does Dijkstra's algorithm work?"),
    ("Rust: create a thread and join it", "How do I spawn a thread in Rust and then join it?"),
    (
        "A Makefile that compiles main.c into an executable called app",
        "A Makefile to build main.c into an executable named app",
    ),
    ("What's the difference between struct and class in Swift?", "Swift: class vs struct"),
    ("What's the difference between CMD and ENTRYPOINT in a Dockerfile?", "Dockerfile: ENTRYPOINT vs CMD"),
    ("PHP: what's the difference between == and ===?", "In PHP, how does == differ from ===?"),
    (
        "Explain the difference between a process and a thread",
        "What's the difference between a thread and a process?",
    ),
    ("hey, how do I remove punctuation from a string in Python?", "Python: strip punctuation from a string"),
    ("Go: trim whitespace from a string", "golang - strip leading and trailing whitespace from a string"),
    (
        "Write `count_bits(x)` in C. Example: count_bits(13) -> 3.",
        "In C, write count_bits(x); count_bits(13) returns 3.",
    ),
    ("hey, how do I see the logs of a Kubernetes pod?", "k8s: view a pod's logs"),
    ("How do I get the current directory in C#?", "How do I get the current dir in C#?"),
    (
        "quick question: how do I pretty print a nested dict in python?",
        "How can I pretty-print a nested dict in Python?",
    ),
    ("Bash: sleep for 10s between retries", "Bash: sleep for 10 seconds between retries"),
    ("cron: run a job at 9am", "cron: run a job at 9 AM"),
    ("Git: change the last commit message", "git - edit the message of my most recent commit"),
    ("Docker: view the logs of a container", "How do I see a Docker container's logs?"),
    ("How do I change the message of the last commit in git?", "Git: edit the most recent commit message."),
    ("C++: convert an int to a string", "How can I turn an int into a std::string in C++?"),
    (
        "C++: sort a vector in descending order",
        "How do I sort a std::vector from largest to smallest in C++?",
    ),
    ("SQLite: list all tables in the database", "How do I show all tables in an SQLite database?"),
    ("Get the last N lines of a file in Python", "Python: read the final N lines of a file"),
    ("Go: read an environment variable.", "How do I get the value of an environment variable in Golang?"),
    ("TypeScript: get the keys of an enum", "TS - list the keys of an enum"),
    ("C: read a line from stdin", "C - read one line from stdin"),
    ("React: render a list of items", "JavaScript: how do I render a list of items in React?"),
    ("bash: extract a .tar.gz archive", "How do I extract a .tar.gz archive from the command line?"),
    ("Kubernetes: view the logs of a pod", "kubectl: how do I see a pod's logs?"),
    ("Rust: iterate over a vector with indices", "In Rust, how do I loop through a Vec with each index?"),
    (
        "CSS: center a div horizontally and vertically",
        "center a div both vertically and horizontally with CSS",
    ),
    ("Go: create a custom error type.", "How do I define a custom error type in Go?"),
]


COMPOUND_NEAR_MISSES = [
    ("Start a Docker container", "Stop a Docker container"),
    ("Trim whitespace from the start of a string", "Trim whitespace from the end of a string"),
    ("Translate 'Good morning' into French.", "Translate 'Good morning' into Spanish."),
    ("Order the users by name", "Order the users by age"),
    ("Echo the variable in bash", "Export the variable in bash"),
    ("Check if a string is numeric", "Check if a string is alphabetic"),
    ("Use functools.lru_cache to memoize fib", "Implement functools.lru_cache to memoize fib"),
    ("Check if Node.js is installed", "Find out which Node.js version is installed"),
    ("Redirect HTTP to HTTPS in nginx", "Redirect HTTPS to HTTP in nginx"),
    ("Kill all processes named node", "Kill one process named node"),
    ("Python: run tasks in threads", "Python: run tasks in processes"),
    ("Get the current time", "Get the current timezone"),
    ("Get the user from the session", "Get the username from the session"),
    ("awk: print column 2 of a file", "awk: print column 3 of a file"),
    ("Go through the list and sum it", "Go: sum the list"),
    ("Compute the mean of a list in numpy", "What does mean do in numpy?"),
    ("Redis: set a key with an expiry of 60 seconds", "Redis: get a key with an expiry of 60 seconds"),
    ("Swift: how do I convert a Date to a String?", "Swift: how do I convert Data to a String?"),
    (
        "Ruby: check if s is a palindrome, ignoring spaces and case",
        "Ruby: check if s is a palindrome, ignoring spaces",
    ),
    ("Return true if any string is empty", "Return false if any string is empty"),
    ("Sort a Vec<i32> in Rust", "Sort a Vec<f64> in Rust"),
    ("What are the list methods in Python?", "What are the string methods in Python?"),
    ("Docker: list containers", "Docker: remove containers"),
    ("Go: convert a string to a []byte", "Go: convert a string to a []rune"),
    ("SQL: find emails that appear more than once", "SQL: find emails that appear more than twice"),
    ("Check whether an object has no keys", "Check whether an object has no methods"),
    ("`square(n)` in Python, e.g. square(2) == 4", "`square(n)` in Python, e.g. square(3) == 9"),
    ("Filter the list to keep only even numbers", "Filter the list to keep even numbers and zero"),
    (
        "Parse a 'YYYY-MM-DD' string into a date object in Python.",
        "Format a date object as a 'YYYY-MM-DD' string in Python.",
    ),
    ("Send an email with Python", "Read an email with Python"),
    ("Return -1 if the list is empty", "Check if the list is empty"),
    ("Send an HTTP request in Go", "Handle an HTTP request in Go"),
    ("Python: list vs tuple", "Python: list vs set"),
    ("Compute the difference between two dates", "Compare two dates"),
    ("Compute the set difference of a and b", "Compute the set difference of b and a"),
    ("Trim whitespace from a string", "Remove whitespace from a string"),
    ("Go: trim whitespace from a string", "Go: strip leading whitespace from a string"),
    ("Write `f(a, b)`. Example: f(1, 2) -> 1", "Write `f(a, b)`. Example: f(1, 2) -> 2"),
    ("Kubernetes: set a CPU limit of 500m", "Kubernetes: set a CPU limit of 500"),
    ("Bash: wait 5m before retrying", "Bash: wait 5h before retrying"),
    ("Compute the sum of the squares of a list", "Compute the square of the sum of a list"),
    ("Show hidden files in macOS Finder", "Hide hidden files in macOS Finder"),
    ("How do I show the hidden .git folder in VS Code?", "How do I hide the .git folder in VS Code?"),
    ("Read an environment variable in Rust.", "Set an environment variable in Rust."),
    ("Set the upstream branch in git", "Delete the upstream branch in git"),
    ("Convert a list to a set", "Convert a list to a string"),
    ("Compute the std of a list of numbers", "Compute the mean of a list of numbers"),
    ("Git: change the last commit message", "Git: change the first commit message"),
    ("Read a config file", "Write a config file"),
    ("Show the git log", "Show the git status"),
    ("React: render a list of items", "Python: render a list of items"),
    ("Parse command-line arguments with argparse", "Bash: parse command-line arguments"),
    ("How do I sort a JS array of numbers?", "How do I sort a Python list of numbers?"),
]


@pytest.mark.parametrize(("first", "second"), PARAPHRASES + COMPOUND_PARAPHRASES)
def test_paraphrases_pass_both_ways(first: str, second: str) -> None:
    assert check_prompts(first, second).ok, check_prompts(first, second).reasons
    assert check_prompts(second, first).ok, check_prompts(second, first).reasons


@pytest.mark.parametrize(("first", "second"), NEAR_MISSES + COMPOUND_NEAR_MISSES)
def test_near_misses_are_rejected_both_ways(first: str, second: str) -> None:
    assert not check_prompts(first, second).ok
    assert not check_prompts(second, first).ok
