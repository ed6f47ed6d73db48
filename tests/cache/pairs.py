"""Prompt pairs for the guard and the semantic lookup: near-misses that must never hit, paraphrases that should.

Each near-miss differs in one thing that changes the answer (the class is named first); each paraphrase
keeps every such thing and changes only the wording. Domains: code tasks, data formats, natural and
programming languages, numbers.
"""

from __future__ import annotations

__all__ = ["NEAR_MISSES", "PARAPHRASES", "REWORDED"]

NEAR_MISSES: list[tuple[str, str, str]] = [
    # (class, prompt, prompt that must not be served its answer)
    (
        "type",
        "Write a Python function that reverses a string.",
        "Write a Python function that reverses a list.",
    ),
    (
        "type",
        "Write a function that returns the keys of a dict sorted alphabetically.",
        "Write a function that returns the keys of a set sorted alphabetically.",
    ),
    (
        "type",
        "Write a function that converts a list of pairs into a tuple.",
        "Write a function that converts a list of pairs into a dict.",
    ),
    ("type", "Count the words in a sentence.", "Count the characters in a sentence."),
    (
        "number",
        "Give me three bullet points about unit testing.",
        "Give me ten bullet points about unit testing.",
    ),
    (
        "number",
        "Write a function that splits a list into chunks of size 5.",
        "Write a function that splits a list into chunks of size 3.",
    ),
    (
        "number",
        "Write a function that rounds a float to 2 decimal places.",
        "Write a function that rounds a float to 3 decimal places.",
    ),
    ("number", "Print the numbers from 1 to 100.", "Print the numbers from 1 to 1000."),
    (
        "number",
        "Return the top 5 most common words in a text.",
        "Return the top 10 most common words in a text.",
    ),
    (
        "ordinal",
        "Write a function that finds the second largest element in a list.",
        "Write a function that finds the third largest element in a list.",
    ),
    (
        "language",
        "Translate 'Good morning, how are you?' to French.",
        "Translate 'Good morning, how are you?' to German.",
    ),
    (
        "language",
        "Write a Python function that checks whether a number is prime.",
        "Write a JavaScript function that checks whether a number is prime.",
    ),
    (
        "language",
        "Write a Rust function that reverses a vector of integers.",
        "Write a Go function that reverses a vector of integers.",
    ),
    (
        "language",
        "Translate this sentence into Spanish: the cat sleeps on the sofa.",
        "Translate this sentence into Italian: the cat sleeps on the sofa.",
    ),
    (
        "format",
        "Write a function that parses a JSON file and returns a dictionary.",
        "Write a function that parses a YAML file and returns a dictionary.",
    ),
    (
        "format",
        "Write a function that serializes a list of records to CSV.",
        "Write a function that serializes a list of records to XML.",
    ),
    (
        "direction",
        "Write a function that converts snake_case to camelCase.",
        "Write a function that converts camelCase to snake_case.",
    ),
    (
        "direction",
        "Write a function that converts a CSV file to JSON.",
        "Write a function that converts a JSON file to CSV.",
    ),
    (
        "direction",
        "Write a function that converts Celsius to Fahrenheit.",
        "Write a function that converts Fahrenheit to Celsius.",
    ),
    (
        "direction",
        "Write a function that converts a binary string to a decimal integer.",
        "Write a function that converts a decimal integer to a binary string.",
    ),
    (
        "direction",
        "Write a function that turns an XML document into a dict.",
        "Write a function that turns a dict into an XML document.",
    ),
    (
        "direction",
        "Convert kebab-case identifiers to snake_case.",
        "Convert snake_case identifiers to kebab-case.",
    ),
    (
        "negation",
        "Write a function that returns the first repeating character in a string.",
        "Write a function that returns the first non-repeating character in a string.",
    ),
    (
        "negation",
        "Sort a list of integers using the built-in sorted function.",
        "Sort a list of integers without using the built-in sorted function.",
    ),
    (
        "negation",
        "Write a case-sensitive function that counts occurrences of a substring.",
        "Write a case-insensitive function that counts occurrences of a substring.",
    ),
    (
        "negation",
        "Return all numbers in the list that are prime.",
        "Return all numbers in the list that are not prime.",
    ),
    (
        "polarity",
        "Write a function that sorts a list of integers in ascending order.",
        "Write a function that sorts a list of integers in descending order.",
    ),
    (
        "polarity",
        "Write a function that returns the maximum value in a list.",
        "Write a function that returns the minimum value in a list.",
    ),
    (
        "polarity",
        "Write a function that returns the sum of all even numbers in a list.",
        "Write a function that returns the sum of all odd numbers in a list.",
    ),
    (
        "polarity",
        "Write a function that rotates a list to the left by k positions.",
        "Write a function that rotates a list to the right by k positions.",
    ),
    (
        "polarity",
        "Write a function that returns the index of the first occurrence of a value in a list.",
        "Write a function that returns the index of the last occurrence of a value in a list.",
    ),
    (
        "polarity",
        "Write a function that converts every character of a string to uppercase.",
        "Write a function that converts every character of a string to lowercase.",
    ),
    (
        "polarity",
        "Write a function that strips leading whitespace from each line.",
        "Write a function that strips trailing whitespace from each line.",
    ),
    (
        "polarity",
        "Write a function that removes all vowels from a string.",
        "Write a function that removes all consonants from a string.",
    ),
    (
        "polarity",
        "Write a SQL query that selects all users older than 30.",
        "Write a SQL query that selects all users younger than 30.",
    ),
    (
        "polarity",
        "Return the words in a sentence that start with the letter a.",
        "Return the words in a sentence that end with the letter a.",
    ),
    (
        "polarity",
        "Write a function that encodes a string to base64.",
        "Write a function that decodes a string from base64.",
    ),
    (
        "polarity",
        "Write a function that rotates a square matrix 90 degrees clockwise.",
        "Write a function that rotates a square matrix 90 degrees counterclockwise.",
    ),
    (
        "polarity",
        "Traverse a graph with breadth-first search and return the visit order.",
        "Traverse a graph with depth-first search and return the visit order.",
    ),
    (
        "polarity",
        "Check whether all elements of the list are positive.",
        "Check whether any element of the list is positive.",
    ),
    ("polarity", "Return the words longer than 5 characters.", "Return the words shorter than 5 characters."),
    (
        "polarity",
        "Write a function that sums the rows of a matrix.",
        "Write a function that sums the columns of a matrix.",
    ),
    (
        "polarity",
        "Generate the numbers in the range inclusive of both ends.",
        "Generate the numbers in the range exclusive of both ends.",
    ),
    (
        "identifier",
        "Write a function `sum_even(nums)` that returns the sum of the even numbers.",
        "Write a function `sum_evens(nums)` that returns the sum of the even numbers.",
    ),
    (
        "identifier",
        "Implement a function named parseConfig that reads a config file.",
        "Implement a function named loadConfig that reads a config file.",
    ),
    (
        "identifier",
        "Write a function is_valid(s) that checks a password.",
        "Write a function is_strong(s) that checks a password.",
    ),
    (
        "quoted",
        "Write a function that counts how many times 'the' appears in a text.",
        "Write a function that counts how many times 'and' appears in a text.",
    ),
    ("quoted", "Translate 'good night' into Italian.", "Translate 'good morning' into Italian."),
    (
        "quoted",
        'Write a function that splits a string on the delimiter ",".',
        'Write a function that splits a string on the delimiter ";".',
    ),
    (
        "unit",
        "Write a function that converts a duration in seconds to a human readable string.",
        "Write a function that converts a duration in milliseconds to a human readable string.",
    ),
    (
        "code",
        "What does this print?\n```python\nprint(sum(range(10)))\n```",
        "What does this print?\n```python\nprint(sum(range(11)))\n```",
    ),
]

PARAPHRASES: list[tuple[str, str]] = [
    ("Write a Python function that reverses a string.", "Write a Python function to reverse a string."),
    (
        "Write a function that returns the factorial of n.",
        "Write a function which returns the factorial of n.",
    ),
    (
        "Write a function that checks whether a string is a palindrome.",
        "Write a function that checks if a string is a palindrome.",
    ),
    (
        "Write a function that returns the sum of all even numbers in a list.",
        "Write a function returning the sum of all the even numbers in a list.",
    ),
    (
        "Implement a function that removes duplicates from a list while preserving order.",
        "Implement a function that removes duplicates from a list while keeping the original order.",
    ),
    (
        "Write a function that counts the vowels in a string.",
        "Write a function that counts the number of vowels in a string.",
    ),
    (
        "Write a function that returns the nth Fibonacci number.",
        "Write a function to compute the nth Fibonacci number.",
    ),
    (
        "Write a function that sorts a list of integers in ascending order.",
        "Write a function that sorts a list of integers into ascending order.",
    ),
    (
        "Write a function that merges two sorted lists into one sorted list.",
        "Write a function that merges two sorted lists into a single sorted list.",
    ),
    (
        "Write a function that parses a JSON string and returns a dictionary.",
        "Write a function that parses a JSON string and returns a dict.",
    ),
    ("Write a function that converts a CSV file to JSON.", "Write a function to convert a CSV file to JSON."),
    (
        "Write a function that reads a YAML file and returns its contents as a dictionary.",
        "Write a function that reads a YAML file and returns the contents as a dictionary.",
    ),
    (
        "Translate 'Good morning, how are you?' to French.",
        "Translate 'Good morning, how are you?' into French.",
    ),
    (
        "Write a JavaScript function that capitalizes the first letter of each word.",
        "Write a JavaScript function that capitalizes the first letter of every word.",
    ),
    (
        "Write a function that returns the largest number in a list.",
        "Write a function that returns the largest number from a list.",
    ),
    ("Give me three bullet points about unit testing.", "Give me 3 bullet points about unit testing."),
    (
        "Write a function that checks if a number is prime.",
        "Write a function to check whether a number is prime.",
    ),
    ("Write a function that flattens a nested list.", "Write a function to flatten a nested list."),
    (
        "Write a function that returns the first 10 prime numbers.",
        "Write a function that returns the first ten prime numbers.",
    ),
    (
        "Write a function that computes the greatest common divisor of two integers.",
        "Write a function to compute the greatest common divisor of two integers.",
    ),
    (
        "Write a function that converts snake_case to camelCase.",
        "Write a function to convert snake_case to camelCase.",
    ),
    (
        "Write a function that validates an email address using a regular expression.",
        "Write a function that validates an email address with a regular expression.",
    ),
    (
        "Write a function that counts the words in a sentence.",
        "Write a function that counts how many words are in a sentence.",
    ),
    (
        "Write a Rust function that reverses a vector of integers.",
        "Write a Rust function to reverse a vector of integers.",
    ),
    (
        "Write a SQL query that selects all users older than 30.",
        "Write an SQL query to select all users older than 30.",
    ),
    ("Write a function that transposes a matrix.", "Write a function to transpose a matrix."),
    (
        "Write a function that converts Celsius to Fahrenheit.",
        "Write a function to convert Celsius to Fahrenheit.",
    ),
    (
        "Write a function that finds the second largest element in a list.",
        "Write a function to find the second largest element in a list.",
    ),
    (
        "Write a function that checks whether two strings are anagrams.",
        "Write a function that checks if two strings are anagrams.",
    ),
    (
        "Write a function that returns the intersection of two sets.",
        "Write a function to return the intersection of two sets.",
    ),
    (
        "Write a function that serializes a dictionary to XML.",
        "Write a function to serialize a dictionary to XML.",
    ),
    (
        "Write a function that rounds a float to 2 decimal places.",
        "Write a function that rounds a float to two decimal places.",
    ),
    (
        "Write a Go function that reverses a slice of integers.",
        "Write a Go function to reverse a slice of integers.",
    ),
    (
        "Write a function that splits a list into chunks of size 5.",
        "Write a function to split a list into chunks of size 5.",
    ),
    (
        "Write a function that removes all whitespace from a string.",
        "Write a function to remove all whitespace from a string.",
    ),
    (
        "Write a function that computes the dot product of two vectors.",
        "Write a function to compute the dot product of two vectors.",
    ),
    (
        "Write a function that converts a Roman numeral to an integer.",
        "Write a function to convert a Roman numeral to an integer.",
    ),
    (
        "Write a function is_even(n) that returns True when n is even.",
        "Write a function is_even(n) which returns True if n is even.",
    ),
    ("Translate 'good night' into Italian.", "Please translate 'good night' into Italian."),
    (
        "Write a function that returns the minimum value in a dictionary.",
        "Write a function to return the minimum value in a dictionary.",
    ),
    (
        "Write a function that counts the lines in a text file.",
        "Write a function to count the lines in a text file.",
    ),
    ("Summarize this article in three sentences.", "Summarise this article in 3 sentences."),
    (
        "Write a function that sorts a list of integers in descending order.",
        "Write a function that sorts a list of integers in descending order, please.",
    ),
    (
        "Write a function that returns the first non-repeating character in a string.",
        "Write a function to return the first non-repeating character in a string.",
    ),
    (
        "Write a case-insensitive function that counts occurrences of a substring.",
        "Write a case-insensitive function to count occurrences of a substring.",
    ),
    (
        "Write a function that rotates a list to the left by k positions.",
        "Write a function to rotate a list to the left by k positions.",
    ),
    (
        "Write a function that converts a binary string to a decimal integer.",
        "Write a function to convert a binary string to a decimal integer.",
    ),
    ("How do I reverse a string in Python?", "How can I reverse a string in Python?"),
]

# Freer rewordings (request verbs, synonyms, word order): MiniLM scores many of these below 0.95 on the
# raw text; the canonical embedding text (app/cache/canonical.py) is what lifts them.
REWORDED: list[tuple[str, str]] = [
    (
        "Write a function to check if a number is prime.",
        "Create a function that determines whether a given number is prime.",
    ),
    ("Reverse a string in Python.", "How do I reverse a string using Python?"),
    (
        "Write a function that counts the number of vowels in a string.",
        "Write a function to count how many vowels a string contains.",
    ),
    (
        "Write a function that removes duplicates from a list.",
        "Implement a function which deletes duplicate elements from a list.",
    ),
    (
        "Write a function that returns the factorial of a number.",
        "Implement a function computing the factorial of a given number.",
    ),
    (
        "Write a function to find the largest element in a list.",
        "Create a function that returns the biggest element of a list.",
    ),
    (
        "Sort a list of numbers in descending order.",
        "Sort a list of numbers in descending order using Python.",
    ),
    (
        "Write a function that checks if a string is a palindrome.",
        "Create a function that tells whether a given string is a palindrome.",
    ),
    (
        "Write a function that merges two dictionaries.",
        "Write a function that combines two dictionaries into one.",
    ),
    (
        "Write a function that returns the nth Fibonacci number.",
        "Implement a function that computes the n-th Fibonacci number.",
    ),
    ("Translate 'thank you very much' into French.", "Can you translate 'thank you very much' into French?"),
    (
        "Parse a JSON string into a Python dictionary.",
        "How do I parse a JSON string into a dictionary in Python?",
    ),
    (
        "Write a function that converts a CSV file to JSON.",
        "I need a function that converts CSV files to JSON.",
    ),
    (
        "Write a function that counts the words in a text file.",
        "Create a function that counts how many words a text file contains.",
    ),
    (
        "Write a function that checks whether two strings are anagrams.",
        "Create a function that tests if two strings are anagrams of each other.",
    ),
    (
        "Write a function that computes the GCD of two integers.",
        "Implement a function returning the greatest common divisor of two integers.",
    ),
    (
        "Write a function that returns the sum of the digits of an integer.",
        "Create a function that adds up the digits of an integer and returns the total.",
    ),
    ("Flatten a nested list in Python.", "How can I flatten a nested list with Python?"),
    (
        "Write a JavaScript function that capitalizes the first letter of a string.",
        "Create a JavaScript function to uppercase the first letter of a string.",
    ),
    (
        "Write a function that validates an email address.",
        "Implement a function to check whether an email address is valid.",
    ),
    (
        "Write a function that transposes a matrix.",
        "Create a function that returns the transpose of a matrix.",
    ),
    (
        "Write a function that returns the second largest number in a list.",
        "Find the second largest number in a list with a function.",
    ),
    (
        "Write a function that converts Celsius to Fahrenheit.",
        "Implement a Celsius to Fahrenheit conversion function.",
    ),
    (
        "Write a function that rounds a float to 2 decimal places.",
        "Create a function that rounds a floating point number to two decimal places.",
    ),
    ("Give me three tips for writing clean code.", "Give me 3 tips for writing clean code."),
    (
        "Write a function that checks if a year is a leap year.",
        "Create a function to determine whether a year is a leap year.",
    ),
    (
        "Write a function that splits a list into chunks of size 5.",
        "Create a function that breaks a list into chunks of size 5.",
    ),
    (
        "Write a function that removes all whitespace from a string.",
        "Implement a function that strips every whitespace character out of a string.",
    ),
    (
        "Write a function that finds the intersection of two lists.",
        "Create a function that returns the elements common to two lists.",
    ),
    (
        "Write a function that converts a Roman numeral to an integer.",
        "Implement a function converting a Roman numeral into an integer.",
    ),
    ("Write a Rust function that reads a file into a string.", "How do I read a file into a string in Rust?"),
    (
        "Write a SQL query that counts the rows in the orders table.",
        "Write a SQL query to count how many rows the orders table has.",
    ),
    (
        "Write a function that reverses the words in a sentence.",
        "Create a function that reverses the order of the words in a sentence.",
    ),
    (
        "Write a function that returns the length of the longest word in a sentence.",
        "Implement a function that finds the length of the longest word in a sentence.",
    ),
    (
        "Write a function that checks whether a list is sorted in ascending order.",
        "Create a function that tells if a list is sorted in ascending order.",
    ),
    (
        "Write a function that computes the average of a list of numbers.",
        "Implement a function that returns the mean of a list of numbers.",
    ),
    (
        "Write a function that generates all permutations of a string.",
        "Create a function that returns every permutation of a string.",
    ),
    (
        "Write a function that counts the occurrences of each character in a string.",
        "Implement a function that counts how many times each character appears in a string.",
    ),
    (
        "Write a function that converts snake_case to camelCase.",
        "Implement a snake_case to camelCase converter function.",
    ),
    (
        "Write a function is_even(n) that returns True when n is even.",
        "Implement is_even(n), which returns True if n is even.",
    ),
    (
        "Write a function that returns the first non-repeating character in a string.",
        "Find the first non-repeating character of a string.",
    ),
    ("Write a Go function that reverses a slice of integers.", "How do I reverse a slice of integers in Go?"),
    ("Summarize this paragraph in two sentences.", "Summarise this paragraph in 2 sentences."),
    (
        "Write a function that returns the minimum value in a dictionary.",
        "Create a function that finds the smallest value in a dictionary.",
    ),
    (
        "Write a function that checks whether a number is a perfect square.",
        "Implement a function to determine if a number is a perfect square.",
    ),
    (
        "Write a function that computes the power set of a set.",
        "Create a function that returns the power set of a given set.",
    ),
    (
        "Write a function that converts a list of strings to uppercase.",
        "Implement a function that uppercases every string in a list.",
    ),
    (
        "Write a function that finds the most frequent element in a list.",
        "Create a function returning the most common element of a list.",
    ),
    (
        "Write a YAML parser function that returns a dict.",
        "Write a function that parses YAML and returns a dict.",
    ),
    (
        "Write a function to compute the area of a circle given its radius.",
        "Implement a function that returns the area of a circle from its radius.",
    ),
]

# Written after the guard's first version, as a check on it; kept as regression cases.
NEAR_MISSES += [
    (
        "second-set",
        "Write a function that returns the last n characters of a string.",
        "Write a function that returns the first n characters of a string.",
    ),
    (
        "second-set",
        "Write a function that removes the first element of a list.",
        "Write a function that removes the last element of a list.",
    ),
    (
        "second-set",
        "Write a function that converts a timestamp in seconds to a date string.",
        "Write a function that converts a timestamp in milliseconds to a date string.",
    ),
    ("second-set", "Implement a stack using two queues.", "Implement a queue using two stacks."),
    (
        "second-set",
        "Write a function that checks if a string contains only digits.",
        "Write a function that checks if a string contains only letters.",
    ),
    (
        "second-set",
        "Write a function that returns the number of uppercase letters in a string.",
        "Write a function that returns the number of lowercase letters in a string.",
    ),
    (
        "second-set",
        "Write a function to find the minimum depth of a binary tree.",
        "Write a function to find the maximum depth of a binary tree.",
    ),
    (
        "second-set",
        "Write a Python function to read a JSON file.",
        "Write a Python function to write a JSON file.",
    ),
    (
        "second-set",
        "Write a function that pads a string with zeros on the left.",
        "Write a function that pads a string with zeros on the right.",
    ),
    (
        "second-set",
        "Write a function that returns numbers divisible by 3.",
        "Write a function that returns numbers divisible by 7.",
    ),
    (
        "second-set",
        "Write a function that returns the sum of the first 100 natural numbers.",
        "Write a function that returns the sum of the first 1000 natural numbers.",
    ),
    (
        "second-set",
        "Write a TypeScript function that debounces another function.",
        "Write a JavaScript function that debounces another function.",
    ),
    (
        "second-set",
        "Write a function that checks if a graph is directed.",
        "Write a function that checks if a graph is undirected.",
    ),
    (
        "second-set",
        "Write a function that splits a string on commas.",
        "Write a function that splits a string on semicolons.",
    ),
    (
        "second-set",
        "Write a function that replaces spaces with underscores.",
        "Write a function that replaces underscores with spaces.",
    ),
    (
        "second-set",
        "Write a function that converts a hex string to bytes.",
        "Write a function that converts bytes to a hex string.",
    ),
    (
        "second-set",
        "Write a function that returns the indices of even elements.",
        "Write a function that returns the indices of odd elements.",
    ),
    (
        "second-set",
        "Write a function that sorts a dictionary by its values.",
        "Write a function that sorts a dictionary by its keys.",
    ),
    (
        "second-set",
        "Write a function that returns True if a number is a power of two.",
        "Write a function that returns True if a number is a power of three.",
    ),
    (
        "second-set",
        "Write a regex that matches an IPv4 address.",
        "Write a regex that matches an IPv6 address.",
    ),
    (
        "second-set",
        "Write a function that computes the SHA-256 hash of a file.",
        "Write a function that computes the MD5 hash of a file.",
    ),
    (
        "second-set",
        "Write a function that serializes an object to JSON with indentation.",
        "Write a function that serializes an object to JSON without indentation.",
    ),
    (
        "second-set",
        "Write a function that finds duplicates in a list.",
        "Write a function that finds unique elements in a list.",
    ),
    (
        "second-set",
        "Write a function that shifts each letter by 3 in a Caesar cipher.",
        "Write a function that shifts each letter by 13 in a Caesar cipher.",
    ),
    (
        "second-set",
        "Return the words that appear more than twice.",
        "Return the words that appear exactly twice.",
    ),
    (
        "second-set",
        "Write a function `count_words(text)` that counts words.",
        "Write a function `count_lines(text)` that counts words.",
    ),
    (
        "second-set",
        "Translate 'I love programming' into Japanese.",
        "Translate 'I love programming' into Korean.",
    ),
    (
        "second-set",
        "Write a function to merge two sorted arrays in place.",
        "Write a function to merge two sorted arrays into a new array.",
    ),
    (
        "second-set",
        "Write a function that returns the median of a list.",
        "Write a function that returns the mode of a list.",
    ),
    (
        "second-set",
        "Write a function that checks if a number is a perfect cube.",
        "Write a function that checks if a number is a perfect square.",
    ),
    (
        "second-set",
        "Write a function that returns the n-th row of Pascal's triangle.",
        "Write a function that returns the first n rows of Pascal's triangle.",
    ),
    (
        "second-set",
        "Write a function to compute the area of a rectangle.",
        "Write a function to compute the perimeter of a rectangle.",
    ),
    (
        "second-set",
        "Write a function that converts miles to kilometers.",
        "Write a function that converts kilometers to miles.",
    ),
    (
        "second-set",
        "Write a function that returns the difference between the largest and smallest values.",
        "Write a function that returns the sum of the largest and smallest values.",
    ),
    (
        "second-set",
        "Write a function that returns all prime numbers below 50.",
        "Write a function that returns all prime numbers below 500.",
    ),
    ("second-set", "Write a thread-safe counter class in Python.", "Write a counter class in Python."),
    ("second-set", "Write an async function that fetches a URL.", "Write a function that fetches a URL."),
    (
        "second-set",
        "Write a function that deep copies a nested dict.",
        "Write a function that shallow copies a nested dict.",
    ),
    (
        "second-set",
        "Write a function that encodes a string as URL-safe base64.",
        "Write a function that encodes a string as standard base64.",
    ),
    (
        "second-set",
        "Write a function that zips two lists into a dictionary.",
        "Write a function that zips two lists into a list of tuples.",
    ),
    (
        "second-set",
        "Write a function that merges overlapping intervals in a list of [start, end] pairs and returns them sorted by start.",
        "Write a function that merges overlapping intervals in a list of [start, end] pairs and returns them sorted by end.",
    ),
    (
        "second-set",
        "Given a string s, return the length of the longest substring without repeating characters.",
        "Given a string s, return the longest substring without repeating characters.",
    ),
    (
        "second-set",
        "Given a string s, return the length of the longest substring without repeating characters.",
        "Given a string s, return the length of the longest substring with repeating characters.",
    ),
    (
        "second-set",
        "Write a SQL query that returns the top 3 customers by total order amount.",
        "Write a SQL query that returns the bottom 3 customers by total order amount.",
    ),
    (
        "second-set",
        "Write a SQL query that returns customers who placed more than 5 orders in 2023.",
        "Write a SQL query that returns customers who placed more than 5 orders in 2024.",
    ),
    (
        "second-set",
        'Convert this JSON object to YAML: {"a": 1, "b": [1, 2]}',
        'Convert this YAML object to JSON: {"a": 1, "b": [1, 2]}',
    ),
    (
        "second-set",
        "Write a function that returns a list of all files with the .py extension in a directory.",
        "Write a function that returns a list of all files with the .txt extension in a directory.",
    ),
    (
        "second-set",
        "Write a function that parses a date in the format YYYY-MM-DD.",
        "Write a function that parses a date in the format DD-MM-YYYY.",
    ),
    (
        "second-set",
        "Translate to Spanish: 'Where is the train station?'",
        "Translate to Portuguese: 'Where is the train station?'",
    ),
    (
        "second-set",
        "Translate to Spanish: 'Where is the train station?'",
        "Translate to Spanish: 'Where is the bus station?'",
    ),
    (
        "second-set",
        "Write a function that returns the number of days between two dates, inclusive.",
        "Write a function that returns the number of days between two dates, exclusive.",
    ),
    (
        "second-set",
        "Write a function `flatten(lst)` that flattens a list nested one level deep.",
        "Write a function `flatten(lst)` that flattens a list nested arbitrarily deep.",
    ),
    (
        "second-set",
        "Write a function that checks whether a binary tree is balanced.",
        "Write a function that checks whether a binary tree is symmetric.",
    ),
    (
        "second-set",
        "Write a function that returns the k smallest elements of a list.",
        "Write a function that returns the k largest elements of a list.",
    ),
    (
        "second-set",
        "Write a function that returns the elements that appear in the first list but not in the second.",
        "Write a function that returns the elements that appear in the second list but not in the first.",
    ),
    (
        "second-set",
        "Write a function that converts a number to words in English.",
        "Write a function that converts words in English to a number.",
    ),
    (
        "second-set",
        "Write a function that encrypts a message with AES-256.",
        "Write a function that encrypts a message with AES-128.",
    ),
    (
        "second-set",
        "Write a Bash script that deletes files older than 7 days.",
        "Write a Bash script that deletes files newer than 7 days.",
    ),
    (
        "second-set",
        "Write a function to count the number of set bits in an integer.",
        "Write a function to count the number of unset bits in an integer.",
    ),
    (
        "second-set",
        "Write a function that returns the list with every second element removed.",
        "Write a function that returns the list with every third element removed.",
    ),
    (
        "second-set",
        "Write a function that checks if two rectangles overlap.",
        "Write a function that checks if two circles overlap.",
    ),
    (
        "second-set",
        "Write a function that computes the sum of squares of the first n natural numbers.",
        "Write a function that computes the square of the sum of the first n natural numbers.",
    ),
    (
        "second-set",
        "Write a function that raises an exception if the input is negative.",
        "Write a function that returns None if the input is negative.",
    ),
    (
        "second-set",
        "Write a function that strips HTML tags but keeps the text.",
        "Write a function that strips the text but keeps HTML tags.",
    ),
    (
        "second-set",
        "Write a function that groups words by their first letter.",
        "Write a function that groups words by their length.",
    ),
    (
        "second-set",
        "Write a function that returns a dictionary mapping each character to its count.",
        "Write a function that returns a dictionary mapping each count to its characters.",
    ),
    (
        "second-set",
        "Write a function to compute 2 to the power of n.",
        "Write a function to compute n to the power of 2.",
    ),
    (
        "second-set",
        "Write a function that rounds a number up to the nearest multiple of 5.",
        "Write a function that rounds a number down to the nearest multiple of 5.",
    ),
    (
        "second-set",
        "Write a function that removes every vowel except 'y' from a string.",
        "Write a function that removes every vowel including 'y' from a string.",
    ),
    (
        "second-set",
        "Write a function that returns True if the list is sorted in non-decreasing order.",
        "Write a function that returns True if the list is sorted in decreasing order.",
    ),
]
PARAPHRASES += [
    (
        "Write a function that returns the last n characters of a string.",
        "Create a function which returns the last n characters of a given string.",
    ),
    (
        "Write a function to find the maximum depth of a binary tree.",
        "Implement a function that computes the maximum depth of a binary tree.",
    ),
    (
        "Write a function that replaces spaces with underscores.",
        "Write a function to replace spaces with underscores.",
    ),
    (
        "Write a function that sorts a dictionary by its values.",
        "Write a function to sort a dictionary by its values.",
    ),
    (
        "Write a function that converts miles to kilometers.",
        "Implement a function for converting miles to kilometers.",
    ),
    (
        "Write a function that returns the median of a list.",
        "Create a function that computes the median of a list.",
    ),
    (
        "Write a function that finds duplicates in a list.",
        "Write a function to find the duplicates in a list.",
    ),
    ("Translate 'I love programming' into Japanese.", "Please translate 'I love programming' into Japanese."),
    (
        "Write a function that checks if a string contains only digits.",
        "Create a function that checks whether a string contains only digits.",
    ),
    (
        "Write a function that returns all prime numbers below 50.",
        "Implement a function that returns every prime number below 50.",
    ),
    (
        "Write a function to compute the area of a rectangle.",
        "Create a function that calculates the area of a rectangle.",
    ),
    ("Write a regex that matches an IPv4 address.", "Give me a regex that matches an IPv4 address."),
    (
        "Write a function that converts a hex string to bytes.",
        "Implement a function to convert a hex string into bytes.",
    ),
    (
        "Write a function that computes the SHA-256 hash of a file.",
        "Create a function to compute the SHA-256 hash of a file.",
    ),
    (
        "Write a function that pads a string with zeros on the left.",
        "Write a function to pad a string with zeros on the left.",
    ),
    ("Write an async function that fetches a URL.", "Write an async function to fetch a URL."),
    (
        "Write a function that removes the last element of a list.",
        "Create a function that removes the last element from a list.",
    ),
    (
        "Write a function that returns the indices of even elements.",
        "Write a function returning the indices of the even elements.",
    ),
    ("Write a function that splits a string on commas.", "Write a function to split a string on commas."),
    (
        "Write a function that checks if a graph is directed.",
        "Write a function to check whether a graph is directed.",
    ),
    (
        "How do I check if a key exists in a dictionary in Python?",
        "How can I check whether a key exists in a Python dictionary?",
    ),
    (
        "Write a function that counts the frequency of each word in a text.",
        "Write a function that counts how often each word occurs in a text.",
    ),
    (
        "Write a function that returns the factorial of n using recursion.",
        "Write a recursive function that returns the factorial of n.",
    ),
    (
        "Write a function that checks whether a string is a valid IPv4 address.",
        "Create a function that validates whether a string is a valid IPv4 address.",
    ),
    (
        "Write a function that capitalizes every word in a sentence.",
        "Write a function that capitalizes each word of a sentence.",
    ),
    (
        "Write a function to compute the nth triangular number.",
        "Implement a function that returns the nth triangular number.",
    ),
    (
        "Write a function that removes punctuation from a string.",
        "Create a function to strip punctuation from a string.",
    ),
    (
        "Write a function that returns the longest common prefix of a list of strings.",
        "Implement a function to find the longest common prefix among a list of strings.",
    ),
    (
        "Write a function that converts an integer to its binary representation.",
        "Write a function to convert an integer into its binary representation.",
    ),
    (
        "Write a function that checks if a list contains duplicates.",
        "Create a function that determines whether a list contains any duplicates.",
    ),
    (
        "Write a function that merges overlapping intervals in a list of [start, end] pairs and returns them sorted by start.",
        "Write a function to merge the overlapping intervals in a list of [start, end] pairs, returning them sorted by start.",
    ),
    (
        "Given a string s, return the length of the longest substring without repeating characters.",
        "For a string s, return the length of the longest substring without repeating characters.",
    ),
    (
        "Write a SQL query that returns the top 3 customers by total order amount.",
        "Write an SQL query returning the top 3 customers by total order amount.",
    ),
    (
        "Translate to Spanish: 'Where is the train station?'",
        "Translate into Spanish: 'Where is the train station?'",
    ),
    (
        "Write a function that checks whether a binary tree is balanced.",
        "Write a function to determine if a binary tree is balanced.",
    ),
    (
        "Write a function that returns the k largest elements of a list.",
        "Create a function that returns the k largest elements in a list.",
    ),
    (
        "Write a Bash script that deletes files older than 7 days.",
        "Write a Bash script to delete files older than 7 days.",
    ),
    (
        "Write a function that groups words by their first letter.",
        "Write a function to group words by their first letter.",
    ),
    (
        "Write a function that checks if two rectangles overlap.",
        "Implement a function that determines whether two rectangles overlap.",
    ),
    (
        "Write a function that computes the sum of squares of the first n natural numbers.",
        "Write a function to calculate the sum of the squares of the first n natural numbers.",
    ),
    (
        "How do I sort a list of tuples by the second element in Python?",
        "How can I sort a list of tuples by their second element in Python?",
    ),
    ("Explain what a closure is in JavaScript.", "Explain what closures are in JavaScript."),
    (
        "Write a function that returns the current date in ISO 8601 format.",
        "Write a function returning the current date in ISO 8601 format.",
    ),
    (
        "Write a function that removes all None values from a list.",
        "Write a function to remove all None values from a list.",
    ),
    (
        "Write a function that checks whether a number is a palindrome.",
        "Create a function that checks if a number is a palindrome.",
    ),
    (
        "Write a Python script that prints the numbers from 1 to 10.",
        "Write a Python program that prints the numbers from 1 to 10.",
    ),
    (
        "Give me a regular expression that matches a US phone number.",
        "Write a regular expression that matches a US phone number.",
    ),
    (
        "Write a function that converts a list of strings into a single comma-separated string.",
        "Write a function to convert a list of strings into a single comma-separated string.",
    ),
    (
        "Write a function that finds the longest palindromic substring in a string.",
        "Create a function to find the longest palindromic substring of a string.",
    ),
    (
        "Write a function that returns the GCD of two numbers.",
        "Write a function that returns the greatest common divisor of two numbers.",
    ),
    ("Write a function that reverses a linked list.", "Implement a function that reverses a linked list."),
    (
        "Write a function that checks if a string has balanced parentheses.",
        "Write a function to check whether a string has balanced parentheses.",
    ),
    (
        "Write a function that generates the first n Fibonacci numbers.",
        "Create a function that generates the first n Fibonacci numbers.",
    ),
    (
        "Write a function that counts the number of words in a string.",
        "Write a function that returns the number of words in a string.",
    ),
    (
        "Write a function to remove duplicate characters from a string.",
        "Write a function that removes duplicate characters from a string.",
    ),
    (
        "Write a function that computes the average of the values in a dictionary.",
        "Write a function to compute the mean of the values in a dictionary.",
    ),
    (
        "Write a function that converts a decimal number to binary.",
        "Implement a function converting a decimal number to binary.",
    ),
    (
        "Write a function that returns the intersection of two lists.",
        "Create a function that returns the intersection of two lists.",
    ),
    (
        "Write a function that checks if all characters in a string are unique.",
        "Write a function to check whether all the characters in a string are unique.",
    ),
    (
        "Write a function that splits a sentence into words.",
        "Write a function to split a sentence into words.",
    ),
]
